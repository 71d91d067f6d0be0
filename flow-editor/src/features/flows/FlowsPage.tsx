import { useEffect, useState, type FormEvent } from 'react';
import { api, must, problemOf, type Schemas } from '../../api/client';
import { navigate } from '../../app/router';
import { Field } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { Modal } from '../../ui/Modal';
import { toast } from '../../ui/toasts';
import { can, useSession } from '../session/sessionStore';

type Flow = Schemas['Flow'];

export function FlowsPage() {
  const role = useSession((s) => s.session?.role);
  const [flows, setFlows] = useState<Flow[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Flow | null>(null);

  const load = () => void must(api.GET('/flows', { params: { query: { limit: 200 } } })).then((page) => setFlows(page.items));
  useEffect(load, []);

  async function remove(flow: Flow) {
    const { error, response } = await api.DELETE('/flows/{id}', { params: { path: { id: flow.id } } });
    setDeleting(null);
    if (!response.ok) return toast(problemOf(error).message, 'error');
    toast(`Deleted “${flow.name}”`);
    load();
  }

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Flows</h1>
          <p>Conversations your bot runs on every connected inbox.</p>
        </div>
        <button className="btn primary" onClick={() => setCreating(true)}>
          <Icon name="plus" /> New flow
        </button>
      </div>
      <div className="card">
        {flows === null ? null : flows.length === 0 ? (
          <div className="empty">
            <strong>No flows yet</strong>
            <span>Start with a keyword, offer a coupon, reply on every outcome.</span>
            <button className="btn primary" onClick={() => setCreating(true)}>Create your first flow</button>
          </div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Blocks</th>
                <th>Published</th>
                <th>Last edited</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {flows.map((flow) => (
                <tr key={flow.id} className="clickable" onClick={() => navigate(`/flows/${flow.id}`)}>
                  <td><strong>{flow.name}</strong></td>
                  <td>{flow.draft.nodes.length}</td>
                  <td>{flow.publishedVersion ? <span className="badge green">Version {flow.publishedVersion}</span> : <span className="badge">Draft only</span>}</td>
                  <td>{formatDateTime(flow.updatedAt)}</td>
                  <td className="num" onClick={(e) => e.stopPropagation()}>
                    {can(role).publish && (
                      <button className="btn small ghost" aria-label={`Delete ${flow.name}`} onClick={() => setDeleting(flow)}>
                        <Icon name="trash" />
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && <NewFlowModal onClose={() => setCreating(false)} />}
      {deleting && (
        <Modal
          title={`Delete “${deleting.name}”?`}
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button className="btn" onClick={() => setDeleting(null)}>Cancel</button>
              <button className="btn danger solid" onClick={() => void remove(deleting)}>Delete flow</button>
            </>
          }
        >
          <p>The flow and all its published versions are removed; its keywords stop starting conversations. This cannot be undone. A flow that customers are still in cannot be deleted.</p>
        </Modal>
      )}
    </div>
  );
}

function NewFlowModal({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const { data, error: failure } = await api.POST('/flows', { body: { name } });
    if (!data) return setError(problemOf(failure).details[0]?.message ?? problemOf(failure).message);
    navigate(`/flows/${data.id}`);
  }
  return (
    <Modal
      title="New flow"
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn primary" disabled={!name.trim()} onClick={() => void submit()}>Create flow</button>
        </>
      }
    >
      <form onSubmit={submit}>
        <Field label="Name" htmlFor="flow-name" error={error}>
          <input id="flow-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Welcome coupon" autoFocus maxLength={100} />
        </Field>
      </form>
    </Modal>
  );
}
