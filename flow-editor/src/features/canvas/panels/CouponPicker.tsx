import { useEffect, useState } from 'react';
import { CouponStateBadge } from '../../coupons/couponState';
import { useCouponList } from '../couponsStore';

/** Search the organisation's coupons and choose one. */
export function CouponPicker({ value, onChange }: { value: string; onChange(id: string): void }) {
  const { coupons, load } = useCouponList();
  const [query, setQuery] = useState('');
  useEffect(() => void (coupons === null && load()), [coupons, load]);
  const q = query.trim().toLowerCase();
  const matches = (coupons ?? []).filter((c) => !q || c.name.toLowerCase().includes(q) || c.id.toLowerCase().includes(q));
  return (
    <div className="stack tight">
      <input className="input" type="search" placeholder="Search coupons" aria-label="Search coupons" value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="picker-list" role="listbox" aria-label="Coupons">
        {coupons === null && <div className="picker-item hint">Loading…</div>}
        {coupons !== null && matches.length === 0 && <div className="picker-item hint">{coupons.length ? 'No coupon matches' : 'No coupons yet — create one under Coupons'}</div>}
        {matches.map((c) => (
          <div key={c.id} role="option" aria-selected={c.id === value} className={`picker-item${c.id === value ? ' on' : ''}`} onClick={() => onChange(c.id)}>
            <span>{c.name}</span>
            <CouponStateBadge coupon={c} />
          </div>
        ))}
      </div>
    </div>
  );
}
