import { useEffect, useMemo, useState } from 'react';
import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { navigate } from '../../app/router';
import { formatDate, formatNumber } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { can, useSession } from '../session/sessionStore';
import { CouponStateBadge, type Coupon } from './couponState';

export type Stats = paths['/coupons/{id}/stats']['get']['responses'][200]['content']['application/json'];
const pageSize = 20;

export function CouponsPage() {
  const role = useSession((s) => s.session?.role);
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);

  async function loadMore(from: string | null) {
    const result = await must(api.GET('/coupons', { params: { query: { limit: 100, ...(from ? { cursor: from } : {}) } } }));
    setCoupons((list) => {
      const known = new Set(list.map((c) => c.id));
      return [...list, ...result.items.filter((c) => !known.has(c.id))];
    });
    setCursor(result.nextCursor);
    setLoaded(true);
  }
  useEffect(() => void loadMore(null), []);

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? coupons.filter((c) => c.name.toLowerCase().includes(q) || (c.code.type === 'common' && c.code.value?.toLowerCase().includes(q)) || c.id.includes(q)) : coupons;
  }, [coupons, query]);
  const visible = filtered.slice(page * pageSize, (page + 1) * pageSize);
  const lastPage = Math.max(0, Math.ceil(filtered.length / pageSize) - 1);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Coupons</h1>
          <p>Campaigns your flows offer. Follow each from sent to verified.</p>
        </div>
        {can(role).editCoupons && <button className="btn primary" onClick={() => navigate('/coupons/new')}><Icon name="plus" /> New coupon</button>}
      </div>
      <div className="card">
        <div className="toolbar">
          <input className="input" style={{ maxWidth: 320 }} type="search" placeholder="Search by name or code" aria-label="Search coupons" value={query} onChange={(e) => { setQuery(e.target.value); setPage(0); }} />
          <span className="hint grow">{filtered.length} coupon{filtered.length === 1 ? '' : 's'}</span>
        </div>
        {loaded && filtered.length === 0 ? (
          <div className="empty">
            <strong>{coupons.length ? 'No coupon matches' : 'No coupons yet'}</strong>
            {!coupons.length && <span>Create a campaign with one common code or a pool of unique codes.</span>}
          </div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Coupon</th><th>Status</th><th>Code</th><th>Period</th>
                <th className="num">Sent</th><th className="num">Opened</th><th className="num">Redeemed</th><th className="num">Verified</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((c) => {
                // Each coupon in the list carries its funnel: no call per row.
                const f = c.funnel;
                return (
                  <tr key={c.id} className="clickable" onClick={() => navigate(`/coupons/${c.id}`)}>
                    <td><strong>{c.name}</strong></td>
                    <td><CouponStateBadge coupon={c} /></td>
                    <td>{c.code.type === 'common' ? <code>{c.code.value}</code> : <span className="hint">Unique · {formatNumber(c.poolSize)} in pool</span>}</td>
                    <td className="hint">{formatDate(c.activePeriod.startsAt)} – {c.activePeriod.endsAt ? formatDate(c.activePeriod.endsAt) : 'no end'}</td>
                    <td className="num">{formatNumber(f.sent)}</td>
                    <td className="num">{formatNumber(f.opened)}</td>
                    <td className="num">{formatNumber(f.redeemed)}</td>
                    <td className="num">{formatNumber(f.verified)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="pager">
          <span>Page {page + 1} of {lastPage + 1}</span>
          <div className="row">
            <button className="btn small" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
            <button className="btn small" disabled={page >= lastPage && !cursor} onClick={() => (page >= lastPage && cursor ? void loadMore(cursor).then(() => setPage(page + 1)) : setPage(page + 1))}>Next</button>
          </div>
        </div>
      </div>
    </div>
  );
}
