import type { ReactNode } from 'react';
import { useRoute } from '../../app/router';
import { Icon, type IconName } from '../../ui/icons';
import { Link } from '../../ui/Link';
import { can, useSession } from '../session/sessionStore';

const roleNames: Record<string, string> = { owner: 'Owner', admin: 'Admin', designer: 'Bot designer', staff: 'Store staff', instance_admin: 'Instance admin' };

/** The signed-in frame: navigation by role, who is signed in, sign out. */
export function Shell({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const path = useRoute((s) => s.path);
  const may = can(session?.role);
  const items: { to: string; label: string; icon: IconName; show: boolean }[] = [
    { to: '/flows', label: 'Flows', icon: 'flows', show: may.editFlows },
    { to: '/coupons', label: 'Coupons', icon: 'coupons', show: may.readCoupons && session?.features?.coupons !== false },
    { to: '/inboxes', label: 'Inboxes', icon: 'inboxes', show: may.editFlows },
    { to: '/api-keys', label: 'API keys', icon: 'keys', show: may.manageKeys },
    { to: '/verify', label: 'Verify a code', icon: 'verify', show: may.verify && session?.features?.coupons !== false },
    { to: '/orgs', label: 'Organisations', icon: 'orgs', show: may.organisations },
  ];
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark">
            <svg width="16" height="16" viewBox="0 0 24 24" fill="#fff"><path d="M3 8a2 2 0 0 0 2-2h14a2 2 0 0 0 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 0-2 2H5a2 2 0 0 0-2-2v-2a2 2 0 0 0 0-4z" /></svg>
          </span>
          Couponflow
        </div>
        {items
          .filter((i) => i.show)
          .map((i) => (
            <Link key={i.to} to={i.to} className={`nav-link${path === i.to || path.startsWith(`${i.to}/`) ? ' active' : ''}`}>
              <Icon name={i.icon} />
              {i.label}
            </Link>
          ))}
        <div className="sidebar-foot">
          <div className="who">
            <strong>{session?.org?.name ?? 'This instance'}</strong>
            {roleNames[session?.role ?? ''] ?? session?.role}
          </div>
          <button className="btn small ghost" style={{ justifyContent: 'flex-start', padding: '0 6px' }} onClick={() => void signOut()}>
            <Icon name="signout" /> Sign out
          </button>
        </div>
      </nav>
      <div className="main">{children}</div>
    </div>
  );
}
