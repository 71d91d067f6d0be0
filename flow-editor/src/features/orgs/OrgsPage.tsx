import { useEffect, useState } from 'react';
import { api, must, problemOf, type Schemas } from '../../api/client';
import { CopyButton } from '../../ui/CopyButton';
import { Field } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { Modal } from '../../ui/Modal';
import { useSession } from '../session/sessionStore';

type Org = Schemas['Organisation'] & { createdAt: string };

/** The instance admin's page: organisations and their first owner key. */
export function OrgsPage() {
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [creating, setCreating] = useState(false);
  const load = () => void must(api.GET('/orgs')).then((r) => setOrgs(r.items));
  useEffect(load, []);
  async function toggleCoupons(org: Org) {
    await must(api.PATCH('/orgs/{id}', { params: { path: { id: org.id } }, body: { features: { coupons: !org.features.coupons } } }));
    load();
  }
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Organisations</h1>
          <p>Each organisation has its own coupons, flows, inboxes and keys.</p>
        </div>
        <button className="btn primary" onClick={() => setCreating(true)}><Icon name="plus" /> New organisation</button>
      </div>
      <div className="card">
        {orgs.length === 0 ? (
          <div className="empty">
            <strong>No organisations yet</strong>
            <span>Create the first one; you get its owner key to sign in with.</span>
            <button className="btn primary" onClick={() => setCreating(true)}>Create an organisation</button>
          </div>
        ) : (
          <table className="table">
            <thead><tr><th>Name</th><th>Id</th><th>Coupons add-on</th><th>Created</th></tr></thead>
            <tbody>
              {orgs.map((o) => (
                <tr key={o.id}>
                  <td><strong>{o.name}</strong></td>
                  <td className="mono">{o.id}</td>
                  <td><label className="check"><input type="checkbox" checked={o.features.coupons} onChange={() => void toggleCoupons(o)} /> {o.features.coupons ? 'On' : 'Off'}</label></td>
                  <td>{formatDateTime(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && <NewOrgModal onClose={() => { setCreating(false); load(); }} />}
    </div>
  );
}

function NewOrgModal({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [coupons, setCoupons] = useState(true);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string>();
  const signIn = useSession((s) => s.signIn);
  async function create() {
    const { data, error: failure } = await api.POST('/orgs', { body: { name, features: { coupons } } });
    if (!data) return setError(problemOf(failure).details[0]?.message ?? problemOf(failure).message);
    setCreated({ name: data.org.name, key: data.apiKey });
  }
  if (created)
    return (
      <Modal
        title={`“${created.name}” is ready`}
        subtitle="This is its owner key. Copy it now: it is not shown again."
        onClose={onClose}
        footer={<><button className="btn" onClick={onClose}>Done</button><button className="btn primary" onClick={() => void signIn(created.key)}>Sign in as its owner</button></>}
      >
        <div className="secret"><code className="grow" data-testid="owner-key">{created.key}</code><CopyButton text={created.key} /></div>
      </Modal>
    );
  return (
    <Modal title="New organisation" onClose={onClose} footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" disabled={!name.trim()} onClick={() => void create()}>Create organisation</button></>}>
      <Field label="Name" htmlFor="org-name" error={error}>
        <input id="org-name" className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus placeholder="e.g. Corner Coffee" />
      </Field>
      <label className="check"><input type="checkbox" checked={coupons} onChange={(e) => setCoupons(e.target.checked)} /> Coupons add-on</label>
    </Modal>
  );
}
