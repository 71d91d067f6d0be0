import { useEffect, useState } from 'react';
import { problemOf, type Schemas } from '../../api/client';
import { Field } from '../../ui/Field';
import { Modal } from '../../ui/Modal';
import { toast } from '../../ui/toasts';
import { channelFields } from './channels';

type Inbox = Schemas['Inbox'];
type Detail = Inbox & { credentials?: Record<string, string> };

/**
 * SPEC §5 `GET/PATCH /inboxes/:id`: rename, change the rate, replace credentials. The server
 * answers credentials masked; a credential left empty here is kept as it is.
 */
export function EditInboxModal({ inbox, onClose }: { inbox: Inbox; onClose(): void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [name, setName] = useState(inbox.name);
  const [rate, setRate] = useState(String(inbox.rateLimitPerSecond));
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const url = `/api/v1/inboxes/${encodeURIComponent(inbox.id)}`;
  const fields = channelFields(inbox.channel);

  useEffect(() => {
    void fetch(url, { credentials: 'same-origin' }).then(async (res) => (res.ok ? setDetail((await res.json()) as Detail) : setUnavailable(true)));
  }, [url]);

  async function save() {
    // Credentials are replaced as a set (the masked ones are never sent back).
    const typed = fields.filter((f) => (credentials[f.key] ?? '').trim() !== '');
    if (typed.length > 0 && typed.length < fields.length && inbox.channel !== 'botframework')
      return setErrors({ _: 'To replace the credentials, fill in every one of them; leave them all empty to keep the current ones.' });
    const body = {
      name: name.trim(),
      rateLimitPerSecond: Number(rate),
      ...(typed.length ? { credentials: Object.fromEntries(fields.map((f) => [f.key, credentials[f.key] ?? ''])) } : {}),
    };
    const res = await fetch(url, { method: 'PATCH', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) {
      const problem = problemOf(await res.json().catch(() => undefined));
      return setErrors(Object.fromEntries(problem.details.map((d) => [d.path, d.message]).concat([['_', problem.message]])));
    }
    toast('Inbox saved');
    onClose();
  }

  return (
    <Modal
      title={`Edit “${inbox.name}”`}
      onClose={onClose}
      footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" disabled={unavailable || !name.trim()} onClick={() => void save()}>Save</button></>}
    >
      {unavailable && <div className="alert info">This server cannot edit inboxes yet. Remove the inbox and connect it again instead.</div>}
      <Field label="Name" htmlFor="edit-inbox-name" error={errors.name}>
        <input id="edit-inbox-name" className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      </Field>
      <Field label="Messages per second" htmlFor="edit-inbox-rate" error={errors.rateLimitPerSecond} hint="The most this inbox sends to the platform">
        <input id="edit-inbox-rate" className="input" type="number" min={1} max={10000} value={rate} onChange={(e) => setRate(e.target.value)} />
      </Field>
      {fields.map((f) => (
        <Field key={f.key} label={f.label} htmlFor={`edit-cred-${f.key}`} error={errors[`credentials.${f.key}`]} hint={detail?.credentials?.[f.key] ? `Now ${detail.credentials[f.key]}` : undefined}>
          <input id={`edit-cred-${f.key}`} className="input mono" type={f.secret ? 'password' : 'text'} autoComplete="off" value={credentials[f.key] ?? ''} onChange={(e) => setCredentials({ ...credentials, [f.key]: e.target.value })} />
        </Field>
      ))}
      {errors._ && <div className="alert">{errors._}</div>}
    </Modal>
  );
}
