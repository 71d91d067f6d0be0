import { useState } from 'react';
import { api, ApiFailure, must } from '../../api/client';
import { Field } from '../../ui/Field';
import { formatNumber } from '../../ui/format';
import { Modal } from '../../ui/Modal';
import { toast } from '../../ui/toasts';
import type { Stats } from './CouponsPage';
import type { Coupon } from './couponState';

type Scope = 'unredeemed' | 'customers' | 'coupon';

/** Revoking names what it does before it does it (SPEC §2.4 scopes). */
export function RevokeDialog({ coupon, stats, onClose, onDone }: { coupon: Coupon; stats: Stats | null; onClose(): void; onDone(): void }) {
  const [scope, setScope] = useState<Scope>('unredeemed');
  const [customers, setCustomers] = useState('');
  const [error, setError] = useState<string>();
  // The funnel counts steps reached: offers still open are those sent that were neither redeemed nor ended.
  const open = stats ? Math.max(0, stats.sent - stats.redeemed - stats.expired - stats.revoked) : 0;
  const unused = stats ? Math.max(0, stats.redeemed - stats.verified) : 0;
  const consequence: Record<Scope, string> = {
    unredeemed: `The ${formatNumber(open)} offers not redeemed yet stop working: their redeem pages say the coupon was revoked. Redeemed codes stay valid, and the coupon can still be offered.`,
    customers: 'The listed customers’ unredeemed offers stop working. Codes they already redeemed stay valid.',
    coupon: `“${coupon.name}” ends for good: nothing more can be offered, redeemed or verified — including the ${formatNumber(unused)} redeemed codes not yet used in store. This cannot be undone.`,
  };
  const ids = customers.split(/[\s,]+/).filter(Boolean);

  async function revoke() {
    try {
      const body = scope === 'customers' ? { scope, customerIds: ids } : { scope };
      const result = await must(api.POST('/coupons/{id}/revoke', { params: { path: { id: coupon.id } }, body: body as never }));
      toast(`${formatNumber(result.revoked)} records revoked`);
      onDone();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.problem.message : 'Could not revoke');
    }
  }

  return (
    <Modal
      title="Revoke"
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn danger solid" disabled={scope === 'customers' && ids.length === 0} onClick={() => void revoke()}>
            {scope === 'coupon' ? 'Revoke the coupon for good' : scope === 'unredeemed' ? `Revoke ${formatNumber(open)} open offers` : `Revoke for ${ids.length} customer${ids.length === 1 ? '' : 's'}`}
          </button>
        </>
      }
    >
      <div className="stack tight">
        {(
          [
            ['unredeemed', 'Every unredeemed offer'],
            ['customers', 'Some customers’ offers'],
            ['coupon', 'The whole coupon'],
          ] as const
        ).map(([id, label]) => (
          <label key={id} className="check"><input type="radio" name="scope" checked={scope === id} onChange={() => setScope(id)} /> {label}</label>
        ))}
      </div>
      {scope === 'customers' && (
        <Field label="Customer ids" htmlFor="revoke-customers" hint="One per line or separated by commas">
          <textarea id="revoke-customers" className="textarea mono" value={customers} onChange={(e) => setCustomers(e.target.value)} />
        </Field>
      )}
      <div className="alert" data-testid="revoke-consequence">{consequence[scope]}</div>
      {error && <div className="alert">{error}</div>}
    </Modal>
  );
}
