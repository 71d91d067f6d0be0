import { useEffect, useState } from 'react';
import { api, must, type Schemas } from '../../api/client';
import { formatDateTime, fromLocalInput } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { Link } from '../../ui/Link';
import { can, useSession } from '../session/sessionStore';
import type { Stats } from './CouponsPage';
import { CouponStateBadge, type Coupon } from './couponState';
import { FunnelChart } from './FunnelChart';
import { RevokeDialog } from './RevokeDialog';

type RecordRow = Schemas['RedemptionRecord'];
const statuses = ['sent', 'opened', 'redeemed', 'verified', 'expired', 'revoked'] as const;
const tone: Record<string, string> = { sent: '', opened: 'blue', redeemed: 'green', verified: 'green', expired: 'amber', revoked: 'red' };
const pageSize = 25;

interface Filters {
  status: string;
  customerId: string;
  inboxId: string;
  from: string;
  to: string;
}
const noFilters: Filters = { status: '', customerId: '', inboxId: '', from: '', to: '' };

/** SPEC §2.3 records of one coupon: funnel, filters, pages, CSV export, revoke. */
export function CouponRecordsPage({ couponId }: { couponId: string }) {
  const editable = can(useSession((s) => s.session?.role)).editCoupons;
  const [coupon, setCoupon] = useState<Coupon | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [records, setRecords] = useState<RecordRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const path = { id: couponId };
  const query = {
    ...(filters.status ? { status: filters.status as (typeof statuses)[number] } : {}),
    ...(filters.customerId.trim() ? { customerId: filters.customerId.trim() } : {}),
    ...(filters.inboxId.trim() ? { inboxId: filters.inboxId.trim() } : {}),
    ...(filters.from ? { from: fromLocalInput(filters.from)! } : {}),
    ...(filters.to ? { to: fromLocalInput(filters.to)! } : {}),
  };
  const cursor = cursors.at(-1);

  const loadHead = () => {
    void must(api.GET('/coupons/{id}', { params: { path } })).then(setCoupon);
    void must(api.GET('/coupons/{id}/stats', { params: { path } })).then(setStats);
  };
  useEffect(loadHead, [couponId]);
  const loadRecords = () =>
    void must(api.GET('/coupons/{id}/redemptions', { params: { path, query: { ...query, limit: pageSize, ...(cursor ? { cursor } : {}) } } })).then((page) => {
      setRecords(page.items);
      setNextCursor(page.nextCursor);
    });
  useEffect(loadRecords, [couponId, JSON.stringify(query), cursor]);

  const setFilter = (key: keyof Filters, value: string) => {
    setFilters({ ...filters, [key]: value });
    setCursors([undefined]);
  };
  const csvUrl = `/api/v1/coupons/${encodeURIComponent(couponId)}/redemptions?${new URLSearchParams({ ...query, format: 'csv' })}`;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Link className="crumb" to={`/coupons/${couponId}`}>← {coupon?.name ?? 'Coupon'}</Link>
          <div className="row"><h1>Records</h1>{coupon && <CouponStateBadge coupon={coupon} />}</div>
        </div>
        <div className="row">
          <a className="btn" href={csvUrl} download><Icon name="download" /> Export CSV</a>
          {editable && coupon && coupon.status !== 'revoked' && <button className="btn danger" onClick={() => setRevoking(true)}>Revoke…</button>}
        </div>
      </div>
      {stats && <FunnelChart stats={stats} />}
      <div className="card">
        <div className="toolbar">
          <select className="select" style={{ width: 150 }} aria-label="Status" value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">All statuses</option>
            {statuses.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
          </select>
          <input className="input" style={{ width: 180 }} placeholder="Customer id" aria-label="Customer id" value={filters.customerId} onChange={(e) => setFilter('customerId', e.target.value)} />
          <input className="input" style={{ width: 160 }} placeholder="Inbox id" aria-label="Inbox id" value={filters.inboxId} onChange={(e) => setFilter('inboxId', e.target.value)} />
          <label className="row hint">Sent from <input type="datetime-local" className="input" style={{ width: 200 }} aria-label="Sent from" value={filters.from} onChange={(e) => setFilter('from', e.target.value)} /></label>
          <label className="row hint">to <input type="datetime-local" className="input" style={{ width: 200 }} aria-label="Sent before" value={filters.to} onChange={(e) => setFilter('to', e.target.value)} /></label>
          {JSON.stringify(filters) !== JSON.stringify(noFilters) && <button className="btn ghost small" onClick={() => { setFilters(noFilters); setCursors([undefined]); }}>Clear</button>}
        </div>
        {records.length === 0 ? (
          <div className="empty"><strong>No records</strong><span>Records appear when a flow or the API offers this coupon.</span></div>
        ) : (
          <div className="table-scroll">
          <table className="table" data-testid="records">
            <thead>
              <tr><th>Customer</th><th>Channel</th><th>Status</th><th>Code</th><th>Sent</th><th>Redeemed</th><th>Verified</th><th>Usable until</th></tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td><span className="mono">{r.customerId}</span><div className="hint mono">{r.id}</div></td>
                  <td>{r.channel}</td>
                  <td><span className={`badge ${tone[r.status]}`}>{r.status}</span></td>
                  <td>{r.code ? <code>{r.code}</code> : <span className="hint">—</span>}</td>
                  <td>{formatDateTime(r.sentAt)}</td>
                  <td>{formatDateTime(r.redeemedAt)}</td>
                  <td>{formatDateTime(r.verifiedAt)}</td>
                  <td>{formatDateTime(r.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
        <div className="pager">
          <span>Page {cursors.length}</span>
          <div className="row">
            <button className="btn small" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
            <button className="btn small" disabled={!nextCursor} onClick={() => nextCursor && setCursors([...cursors, nextCursor])}>Next</button>
          </div>
        </div>
      </div>
      {revoking && coupon && <RevokeDialog coupon={coupon} stats={stats} onClose={() => setRevoking(false)} onDone={() => { setRevoking(false); loadHead(); loadRecords(); }} />}
    </div>
  );
}
