import { useState, type FormEvent } from 'react';
import { Field } from '../../ui/Field';
import { useSession } from './sessionStore';

export function SignInPage() {
  const signIn = useSession((s) => s.signIn);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(await signIn(key.trim()));
    setBusy(false);
  }

  return (
    <main className="signin">
      <form className="card" onSubmit={submit}>
        <div className="card-body">
          <div className="brand">
            <span className="brand-mark">
              <svg width="16" height="16" viewBox="0 0 24 24" fill="#fff"><path d="M3 8a2 2 0 0 0 2-2h14a2 2 0 0 0 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 0-2 2H5a2 2 0 0 0-2-2v-2a2 2 0 0 0 0-4z" /></svg>
            </span>
            Couponflow
          </div>
          <div className="stack tight">
            <h1>Sign in</h1>
            <p className="hint" style={{ fontSize: 13 }}>
              Use an API key of your organisation. The instance admin key (printed on the first <code>npm start</code> and kept in <code>data/admin-api-key</code>) opens the organisations page.
            </p>
          </div>
          <Field label="API key" htmlFor="api-key" error={error ?? undefined}>
            <input id="api-key" className={`input mono${error ? ' invalid' : ''}`} type="password" autoComplete="current-password" value={key} onChange={(e) => setKey(e.target.value)} placeholder="cf_…" autoFocus />
          </Field>
          <button className="btn primary" type="submit" disabled={busy || key.trim() === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
