import { useEffect, useState } from 'react';
import { api, must, problemOf, type Schemas } from '../../api/client';
import { Field } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { Modal } from '../../ui/Modal';
import { toast } from '../../ui/toasts';
import { useSession } from '../session/sessionStore';
import { CopyButton } from '../../ui/CopyButton';

type ApiKey = Schemas['ApiKey'];
const roles = [
  { id: 'owner', label: 'Owner', text: 'Everything, including owner keys' },
  { id: 'admin', label: 'Admin', text: 'Coupons, flows, publishing, inboxes, keys' },
  { id: 'designer', label: 'Bot designer', text: 'Edits flow drafts, reads coupons' },
  { id: 'staff', label: 'Store staff', text: 'Verifies codes at the counter' },
] as const;
type RoleId = (typeof roles)[number]['id'];

export function ApiKeysPage() {
  const myRole = useSession((s) => s.session?.role);
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const load = () => void must(api.GET('/api-keys')).then((r) => setKeys(r.items));
  useEffect(load, []);

  async function revoke(key: ApiKey) {
    const { error, response } = await api.DELETE('/api-keys/{id}', { params: { path: { id: key.id } } });
    setRevoking(null);
    if (!response.ok) return toast(problemOf(error).message, 'error');
    toast('Key revoked');
    load();
  }

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>API keys</h1>
          <p>Keys sign people into this app and let your systems call the API. Each is shown once.</p>
        </div>
        <button className="btn primary" onClick={() => setCreating(true)}><Icon name="plus" /> New key</button>
      </div>
      <div className="card">
        <table className="table">
          <thead>
            <tr><th>Name</th><th>Role</th><th>Created</th><th>Last used</th><th /></tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td><strong>{k.name ?? 'Unnamed key'}</strong> <span className="hint mono">{k.id}</span></td>
                <td><span className="badge plain">{roles.find((r) => r.id === k.role)?.label ?? k.role}</span></td>
                <td>{formatDateTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : <span className="hint">Never</span>}</td>
                <td className="num">
                  <button className="btn small danger" onClick={() => setRevoking(k)}>Revoke</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {creating && <NewKeyModal canOwner={myRole === 'owner'} onClose={() => { setCreating(false); load(); }} />}
      {revoking && (
        <Modal
          title="Revoke this key?"
          onClose={() => setRevoking(null)}
          footer={<><button className="btn" onClick={() => setRevoking(null)}>Cancel</button><button className="btn danger solid" onClick={() => void revoke(revoking)}>Revoke key</button></>}
        >
          <p>“{revoking.name ?? revoking.id}” stops working immediately: API calls with it are refused and anyone signed in with it is signed out. This cannot be undone.</p>
        </Modal>
      )}
    </div>
  );
}

function NewKeyModal({ canOwner, onClose }: { canOwner: boolean; onClose(): void }) {
  const [role, setRole] = useState<RoleId>('designer');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  async function create() {
    const { data, error: failure } = await api.POST('/api-keys', { body: { role, ...(name.trim() ? { name: name.trim() } : {}) } });
    if (!data) return setError(problemOf(failure).message);
    setSecret(data.key);
  }
  if (secret)
    return (
      <Modal title="Copy your new key" subtitle="It will not be shown again." onClose={onClose} footer={<button className="btn primary" onClick={onClose}>Done</button>}>
        <div className="secret"><code className="grow" data-testid="new-key">{secret}</code><CopyButton text={secret} /></div>
      </Modal>
    );
  return (
    <Modal title="New API key" onClose={onClose} footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" onClick={() => void create()}>Create key</button></>}>
      <Field label="Name" htmlFor="key-name" hint="Who or what uses it, e.g. “Till 1” or “CRM sync”">
        <input id="key-name" className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      </Field>
      <Field label="Role" error={error}>
        <div className="stack tight">
          {roles.filter((r) => r.id !== 'owner' || canOwner).map((r) => (
            <label key={r.id} className="check">
              <input type="radio" name="role" checked={role === r.id} onChange={() => setRole(r.id)} />
              <span>{r.label} <span className="hint">— {r.text}</span></span>
            </label>
          ))}
        </div>
      </Field>
    </Modal>
  );
}
