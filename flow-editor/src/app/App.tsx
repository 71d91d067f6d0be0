import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { match, navigate, useRoute } from './router';
import { can, useSession } from '../features/session/sessionStore';
import { SignInPage } from '../features/session/SignInPage';
import { Shell } from '../features/shell/Shell';
import { FlowsPage } from '../features/flows/FlowsPage';
import { CouponsPage } from '../features/coupons/CouponsPage';
import { CouponEditPage } from '../features/coupons/CouponEditPage';
import { CouponRecordsPage } from '../features/coupons/CouponRecordsPage';
import { InboxesPage } from '../features/inboxes/InboxesPage';
import { ApiKeysPage } from '../features/apiKeys/ApiKeysPage';
import { OrgsPage } from '../features/orgs/OrgsPage';
import { VerifyPage } from '../features/verify/VerifyPage';
import { Toasts } from '../ui/toasts';

// The canvas carries React Flow: only designers and admins who open a flow download it.
const CanvasPage = lazy(() => import('../features/canvas/CanvasPage'));

export function App() {
  const { status, session, load } = useSession();
  const path = useRoute((s) => s.path);
  useEffect(() => void load(), [load]);

  const screen = session ? screenFor(path, session.role) : null;
  // Where the address should be instead, if anywhere: sign-in when signed out, home for unknown paths.
  const redirect = status === 'loading' ? null : !session ? (path === '/sign-in' ? null : '/sign-in') : screen ? null : homeOf(session.role);
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (status === 'loading') return null;
  if (!session) {
    return (
      <>
        <SignInPage />
        <Toasts />
      </>
    );
  }
  if (!screen) return null;
  return (
    <>
      {screen.bare ? <Suspense fallback={null}>{screen.node}</Suspense> : <Shell>{screen.node}</Shell>}
      <Toasts />
    </>
  );
}

function homeOf(role: string): string {
  if (role === 'instance_admin') return '/orgs';
  if (role === 'staff') return '/verify';
  return '/flows';
}

function screenFor(path: string, role: Parameters<typeof can>[0]): { node: ReactNode; bare?: boolean } | null {
  const may = can(role);
  let params: Record<string, string> | null;
  if (may.editFlows && path === '/flows') return { node: <FlowsPage /> };
  if (may.editFlows && (params = match('/flows/:id', path))) return { node: <CanvasPage flowId={params.id!} />, bare: true };
  if (may.readCoupons && path === '/coupons') return { node: <CouponsPage /> };
  if (may.editCoupons && path === '/coupons/new') return { node: <CouponEditPage couponId={null} /> };
  if (may.readCoupons && (params = match('/coupons/:id', path))) return { node: <CouponEditPage couponId={params.id!} /> };
  if (may.readCoupons && (params = match('/coupons/:id/records', path))) return { node: <CouponRecordsPage couponId={params.id!} /> };
  if (may.editFlows && path === '/inboxes') return { node: <InboxesPage /> };
  if (may.manageKeys && path === '/api-keys') return { node: <ApiKeysPage /> };
  if (may.organisations && path === '/orgs') return { node: <OrgsPage /> };
  if (may.verify && path === '/verify') return { node: <VerifyPage /> };
  return null;
}
