import { useEffect, useState } from 'react';
import { api, must, problemOf, type Schemas } from '../../api/client';
import { CopyButton } from '../../ui/CopyButton';
import { Field } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { Modal } from '../../ui/Modal';
import { toast } from '../../ui/toasts';
import { can, useSession } from '../session/sessionStore';
import { channelLabel, channels } from './channels';
import { EditInboxModal } from './EditInboxModal';

type Inbox = Schemas['Inbox'];
type Channel = Inbox['channel'];

const webhookUrl = (id: string) => `${window.location.origin}/webhooks/${id}`;

export function InboxesPage() {
  const role = useSession((s) => s.session?.role);
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const [connecting, setConnecting] = useState(false);
  const [removing, setRemoving] = useState<Inbox | null>(null);
  const [editing, setEditing] = useState<Inbox | null>(null);
  const load = () => void must(api.GET('/inboxes')).then((r) => setInboxes(r.items));
  useEffect(load, []);

  async function remove(inbox: Inbox) {
    // SPEC §5 DELETE /inboxes/:id (served once that endpoint lands).
    const response = await fetch(`/api/v1/inboxes/${encodeURIComponent(inbox.id)}`, { method: 'DELETE', credentials: 'same-origin' });
    setRemoving(null);
    if (!response.ok) return toast(problemOf(await response.json().catch(() => undefined)).message, 'error');
    toast('Inbox removed');
    load();
  }

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Inboxes</h1>
          <p>Each inbox is one connected account. Give the platform its webhook URL.</p>
        </div>
        {can(role).manageInboxes && <button className="btn primary" onClick={() => setConnecting(true)}><Icon name="plus" /> Connect a channel</button>}
      </div>
      <div className="card">
        {inboxes.length === 0 ? (
          <div className="empty">
            <strong>No inboxes connected</strong>
            <span>Start with the built-in web chat to try your flows, then connect Messenger, LINE, WhatsApp or Bot Framework.</span>
          </div>
        ) : (
          <table className="table">
            <thead><tr><th>Name</th><th>Channel</th><th>Webhook URL</th><th>Connected</th><th /></tr></thead>
            <tbody>
              {inboxes.map((inbox) => (
                <tr key={inbox.id}>
                  <td><strong>{inbox.name}</strong></td>
                  <td><span className="badge plain">{channelLabel(inbox.channel)}</span></td>
                  <td>
                    {inbox.channel === 'webchat' ? <span className="hint">Built in — public API <code>/api/v1/webchat/{inbox.id}</code></span> : (
                      <div className="row"><code className="grow">{webhookUrl(inbox.id)}</code><CopyButton text={webhookUrl(inbox.id)} /></div>
                    )}
                  </td>
                  <td>{formatDateTime(inbox.createdAt)}</td>
                  <td className="num">
                    {can(role).manageInboxes && (
                      <div className="row" style={{ justifyContent: 'flex-end', gap: 4 }}>
                        <button className="btn small" onClick={() => setEditing(inbox)}>Edit</button>
                        <button className="btn small ghost" aria-label={`Remove ${inbox.name}`} onClick={() => setRemoving(inbox)}><Icon name="trash" /></button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {editing && <EditInboxModal inbox={editing} onClose={() => { setEditing(null); load(); }} />}
      {connecting && <ConnectModal onClose={() => { setConnecting(false); load(); }} />}
      {removing && (
        <Modal title={`Remove “${removing.name}”?`} onClose={() => setRemoving(null)} footer={<><button className="btn" onClick={() => setRemoving(null)}>Cancel</button><button className="btn danger solid" onClick={() => void remove(removing)}>Remove inbox</button></>}>
          <p>Messages from this account stop reaching your flows. Redeem pages already sent keep working.</p>
        </Modal>
      )}
    </div>
  );
}

function ConnectModal({ onClose }: { onClose(): void }) {
  const [channel, setChannel] = useState<Channel>('webchat');
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ id: string; webhookUrl: string; channel: Channel } | null>(null);
  const spec = channels.find((c) => c.id === channel)!;

  async function connect() {
    const body = { channel, name, credentials: Object.fromEntries(spec.fields.map((f) => [f.key, credentials[f.key] ?? ''])) } as never;
    const { data, error } = await api.POST('/inboxes', { body });
    if (!data) {
      const problem = problemOf(error);
      return setErrors(Object.fromEntries(problem.details.map((d) => [d.path, d.message]).concat([['_', problem.message]])));
    }
    setCreated({ id: data.id, webhookUrl: data.webhookUrl, channel });
  }

  if (created)
    return (
      <Modal title="Inbox connected" onClose={onClose} footer={<button className="btn primary" onClick={onClose}>Done</button>}>
        {created.channel === 'webchat' ? (
          <p>The web chat is ready. Try your flows from the Test panel on the canvas.</p>
        ) : (
          <>
            <p>Paste this webhook URL into the platform’s console:</p>
            <div className="secret"><code className="grow">{created.webhookUrl}</code><CopyButton text={created.webhookUrl} /></div>
          </>
        )}
      </Modal>
    );
  return (
    <Modal title="Connect a channel" onClose={onClose} footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" disabled={!name.trim()} onClick={() => void connect()}>Connect</button></>}>
      <div className="segmented" role="tablist">
        {channels.map((c) => (
          <button key={c.id} type="button" className={c.id === channel ? 'on' : ''} onClick={() => { setChannel(c.id); setErrors({}); }}>{c.label}</button>
        ))}
      </div>
      <Field label="Name" htmlFor="inbox-name" error={errors.name}>
        <input id="inbox-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder={`e.g. ${spec.label} — main store`} />
      </Field>
      {spec.fields.map((f) => (
        <Field key={f.key} label={f.label} htmlFor={`cred-${f.key}`} error={errors[`credentials.${f.key}`]}>
          <input id={`cred-${f.key}`} className="input mono" type={f.secret ? 'password' : 'text'} autoComplete="off" value={credentials[f.key] ?? ''} onChange={(e) => setCredentials({ ...credentials, [f.key]: e.target.value })} />
        </Field>
      ))}
      {errors._ && <div className="alert">{errors._}</div>}
    </Modal>
  );
}
