import { useState } from 'react';
import { api, ApiFailure, must, problemOf } from '../../api/client';
import { Field } from '../../ui/Field';
import { formatNumber } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { toast } from '../../ui/toasts';
import type { Coupon } from './couponState';

interface Rejected {
  line: number;
  value: string;
  reason: string;
}
interface ImportReport {
  added: number;
  rejected: Rejected[];
  rejectedCount?: number;
  total: number;
}

/** A unique coupon's pool: generate codes, or import a CSV with progress and a report of refused lines. */
export function CodePoolCard({ coupon, onChanged }: { coupon: Coupon; onChanged(c: Coupon): void }) {
  const [count, setCount] = useState(1000);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string>();

  const refresh = async () => onChanged(await must(api.GET('/coupons/{id}', { params: { path: { id: coupon.id } } })));

  async function generate() {
    setBusy(true);
    setError(undefined);
    try {
      const result = await must(api.POST('/coupons/{id}/codes', { params: { path: { id: coupon.id } }, body: { generate: count } }));
      toast(`${formatNumber(result.added)} codes added`);
      await refresh();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.problem.message : 'Could not generate codes');
    } finally {
      setBusy(false);
    }
  }

  function importFile(file: File) {
    setReport(null);
    setError(undefined);
    setProgress(0);
    // XMLHttpRequest, because fetch cannot report upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/coupons/${encodeURIComponent(coupon.id)}/codes`);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(e.loaded / e.total);
    xhr.onload = () => {
      setProgress(null);
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status !== 201) return setError(problemOf(body).message);
      setReport(body as ImportReport);
      void refresh();
    };
    xhr.onerror = () => {
      setProgress(null);
      setError('The upload failed. Check your connection and try again.');
    };
    xhr.send(file);
  }

  return (
    <section className="card">
      <div className="card-head">
        <div><h2>Code pool</h2><p>Each redemption takes one code. {formatNumber(coupon.poolSize)} codes in the pool, {formatNumber(coupon.redeemedCount)} handed out.</p></div>
      </div>
      <div className="card-body grid-2">
        <div className="stack tight">
          <Field label="Generate codes" htmlFor="generate-count" hint={`Random, ${coupon.code.type === 'unique' ? coupon.code.length : ''} characters, unique in your organisation`}>
            <div className="row">
              <input id="generate-count" type="number" min={1} max={1000000} className="input" value={count} onChange={(e) => setCount(Number(e.target.value))} />
              <button type="button" className="btn" disabled={busy || !(count >= 1)} onClick={() => void generate()}>{busy ? 'Generating…' : 'Generate'}</button>
            </div>
          </Field>
        </div>
        <div className="stack tight">
          <Field label="Import a CSV" htmlFor="import-file" hint="One code per line, optional header row, up to 10 MB">
            <input id="import-file" type="file" accept=".csv,text/csv,text/plain" className="input" style={{ paddingTop: 6 }} onChange={(e) => e.target.files?.[0] && importFile(e.target.files[0])} />
          </Field>
          {progress !== null && (
            <div className="stack tight">
              <div className="progress" role="progressbar" aria-valuenow={Math.round(progress * 100)}><div style={{ width: `${Math.round(progress * 100)}%` }} /></div>
              <span className="hint">{progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : 'Checking codes…'}</span>
            </div>
          )}
        </div>
        {error && <div className="alert" style={{ gridColumn: '1 / -1' }}>{error}</div>}
        {report && (
          <div className={`alert ${report.rejected.length ? 'info' : 'success'}`} style={{ gridColumn: '1 / -1' }} data-testid="import-report">
            <div className="row">
              <span className="grow">
                {formatNumber(report.added)} codes added.{' '}
                {(report.rejectedCount ?? report.rejected.length) > 0 && `${formatNumber(report.rejectedCount ?? report.rejected.length)} lines refused.`}
              </span>
              {report.rejected.length > 0 && (
                <button type="button" className="btn small" onClick={() => downloadReport(report.rejected, coupon.name)}><Icon name="download" /> Refused lines (CSV)</button>
              )}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

const reasonText: Record<string, string> = {
  duplicate_in_file: 'listed twice in the file',
  duplicate_existing: 'already in a pool',
  invalid_format: 'invalid characters',
  too_long: 'too long',
};

function downloadReport(rejected: Rejected[], name: string) {
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const csv = ['line,value,reason,explanation', ...rejected.map((r) => [r.line, quote(r.value), r.reason, quote(reasonText[r.reason] ?? '')].join(','))].join('\n');
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^\w-]+/g, '-')}-refused-codes.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
