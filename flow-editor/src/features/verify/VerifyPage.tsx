import { lazy, Suspense, useState, type FormEvent } from 'react';
import { api, problemOf } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { Icon } from '../../ui/icons';

// The camera scanner (and, where the browser has no BarcodeDetector, zxing) loads only when asked for.
const Scanner = lazy(() => import('./Scanner'));

type Result = { ok: true; coupon: string; code: string | null; customer: string; at: string | null } | { ok: false; title: string; text: string };

const refusals: Record<string, string> = {
  not_found: 'No such code',
  not_redeemed: 'Not redeemed yet',
  already_verified: 'Already used',
  expired: 'Expired',
  revoked: 'Revoked',
  code_not_unique: 'Shared code',
};
const explanations: Record<string, string> = {
  not_redeemed: 'The customer has to press Redeem on their coupon page first.',
  already_verified: 'This code was already accepted at a counter.',
  code_not_unique: 'Everyone has this code: verify the staff reference shown under it instead.',
};

/** Store staff: type the code or scan it, see the answer in large type. */
export function VerifyPage() {
  const [code, setCode] = useState('');
  const [scanning, setScanning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  async function verify(value: string) {
    const text = value.trim();
    if (!text) return;
    setBusy(true);
    // A redemption id ("rdm_…") is what the page shows for shared codes.
    const body = text.startsWith('rdm_') ? { redemptionId: text } : { code: text };
    const { data, error, response } = await api.POST('/verify', { body });
    setBusy(false);
    if (data) setResult({ ok: true, coupon: data.coupon.name, code: data.code, customer: data.customerId, at: data.verifiedAt });
    else {
      const problem = problemOf(error);
      setResult({ ok: false, title: refusals[problem.code] ?? (response.status === 429 ? 'Too many tries' : 'Not accepted'), text: explanations[problem.code] ?? problem.message });
    }
    setCode('');
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void verify(code);
  };

  return (
    <div className="page" style={{ maxWidth: 640 }}>
      <div className="page-head">
        <div><h1>Verify a code</h1><p>Type the customer’s code or scan their QR code or barcode.</p></div>
      </div>
      <form className="card card-body stack" onSubmit={submit}>
        <div className="row">
          <input className="input code-input grow" aria-label="Code" autoFocus autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} placeholder="CODE" />
          <button className="btn primary" style={{ height: 52 }} disabled={busy || !code.trim()}>Verify</button>
        </div>
        <button type="button" className="btn" onClick={() => setScanning(!scanning)}><Icon name="camera" /> {scanning ? 'Stop camera' : 'Scan with the camera'}</button>
        {scanning && (
          <Suspense fallback={<p className="hint">Starting the camera…</p>}>
            <Scanner onCode={(value) => { setScanning(false); void verify(value); }} />
          </Suspense>
        )}
      </form>
      {result && (
        <div className={`card verify-result ${result.ok ? 'ok' : 'bad'}`} role="status">
          {result.ok ? (
            <>
              <span className="huge">✓ Valid</span>
              <strong style={{ fontSize: 20 }}>{result.coupon}</strong>
              {result.code && <code style={{ fontSize: 18 }}>{result.code}</code>}
              <span className="hint">Customer {result.customer} · accepted {formatDateTime(result.at)}</span>
            </>
          ) : (
            <>
              <span className="huge">✕ {result.title}</span>
              <span>{result.text}</span>
            </>
          )}
        </div>
      )}
    </div>
  );
}
