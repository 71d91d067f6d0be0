import { useEffect, useMemo, useState } from 'react';
import { api, ApiFailure, fieldErrors, must } from '../../api/client';
import { navigate } from '../../app/router';
import { Link } from '../../ui/Link';
import { toast } from '../../ui/toasts';
import { can, useSession } from '../session/sessionStore';
import { CodePoolCard } from './CodePoolCard';
import { CouponFields } from './CouponFields';
import { draftOf, newDraft, validateDraft, type CouponDraft } from './couponDraft';
import { CouponStateBadge, type Coupon } from './couponState';
import { RedeemPageDesigner } from './RedeemPageDesigner';

/** Create (couponId null) or edit a coupon: every §2.1 field, the pool, and the redeem page. */
export function CouponEditPage({ couponId }: { couponId: string | null }) {
  const editable = can(useSession((s) => s.session?.role)).editCoupons;
  const [coupon, setCoupon] = useState<Coupon | null>(null);
  const [draft, setDraft] = useState<CouponDraft | null>(couponId ? null : newDraft());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!couponId) return;
    void must(api.GET('/coupons/{id}', { params: { path: { id: couponId } } })).then((c) => {
      setCoupon(c);
      setDraft(draftOf(c));
    });
  }, [couponId]);

  const original = useMemo(() => (coupon ? draftOf(coupon) : undefined), [coupon]);
  const localErrors = draft ? validateDraft(draft, original) : {};
  // As you type; "required" only once a save was tried, so a new form does not open in red.
  const shown = touched || !draft || draft.name.trim() ? localErrors : Object.fromEntries(Object.entries(localErrors).filter(([path]) => path !== 'name'));
  const errors = { ...shown, ...serverErrors };
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(original);

  function change(next: CouponDraft) {
    setDraft(next);
    setServerErrors({});
  }

  async function save() {
    if (!draft) return;
    setTouched(true);
    if (Object.keys(localErrors).length) return toast('Fix the highlighted fields first', 'error');
    setSaving(true);
    try {
      const body = { ...draft, name: draft.name.trim() };
      if (coupon) {
        const saved = await must(api.PATCH('/coupons/{id}', { params: { path: { id: coupon.id } }, body }));
        setCoupon(saved);
        setDraft(draftOf(saved));
        toast('Coupon saved');
      } else {
        const created = await must(api.POST('/coupons', { body }));
        toast('Coupon created');
        navigate(`/coupons/${created.id}`);
      }
    } catch (failure) {
      setServerErrors(fieldErrors(failure));
      toast(failure instanceof ApiFailure ? failure.problem.message : 'Could not save', 'error');
    } finally {
      setSaving(false);
    }
  }

  if (!draft) return null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Link className="crumb" to="/coupons">← Coupons</Link>
          <div className="row">
            <h1>{coupon ? coupon.name : 'New coupon'}</h1>
            {coupon && <CouponStateBadge coupon={coupon} />}
          </div>
        </div>
        <div className="row">
          {coupon && <Link className="btn" to={`/coupons/${coupon.id}/records`}>Records &amp; stats</Link>}
          {editable && (
            <button className="btn primary" onClick={() => void save()} disabled={saving || (coupon !== null && !dirty)}>
              {saving ? 'Saving…' : coupon ? 'Save changes' : 'Create coupon'}
            </button>
          )}
        </div>
      </div>
      {!editable && <div className="alert info">You can read coupons; an owner or admin changes them.</div>}
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }} className="stack">
        <CouponFields draft={draft} onChange={change} errors={errors} existing={coupon !== null} />
        {coupon?.code.type === 'unique' && <CodePoolCard coupon={coupon} onChanged={setCoupon} />}
        <RedeemPageDesigner draft={draft} onChange={change} errors={errors} />
      </fieldset>
    </div>
  );
}
