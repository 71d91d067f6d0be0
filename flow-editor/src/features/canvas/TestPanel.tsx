import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, must, type Schemas } from '../../api/client';
import { Icon } from '../../ui/icons';
import { can, useSession } from '../session/sessionStore';
import { useCanvas } from './canvasStore';

type Item = Schemas['WebchatItem'] | { seq: string; type: 'me'; text: string };
const pollMs = 700;

/**
 * Chats with the published flows through a web-chat inbox, as a customer would (the public web
 * chat API), and highlights on the canvas the path this customer's run takes.
 */
export function TestPanel({ flowId, published, onClose }: { flowId: string; published: number | null; onClose(): void }) {
  const may = can(useSession((s) => s.session?.role));
  const setPath = useCanvas((s) => s.setPath);
  const [inboxId, setInboxId] = useState<string | null | undefined>(undefined);
  const [contactId, setContactId] = useState(() => `test-${Math.random().toString(36).slice(2, 10)}`);
  const [items, setItems] = useState<Item[]>([]);
  const [text, setText] = useState('');
  const after = useRef(0);
  const chat = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void must(api.GET('/inboxes')).then((r) => setInboxId(r.items.find((i) => i.channel === 'webchat')?.id ?? null));
  }, []);

  // The bot's replies and the run's path, while the panel is open.
  useEffect(() => {
    if (!inboxId) return;
    let stopped = false;
    const poll = async () => {
      const { data } = await api.GET('/webchat/{inboxId}/messages', { params: { path: { inboxId }, query: { contactId, after: after.current } } });
      if (data?.items.length) {
        after.current = data.items.at(-1)!.seq;
        setItems((list) => [...list, ...data.items]);
      }
      const contact = await api.GET('/contacts/{customerId}', { params: { path: { customerId: contactId }, query: { inboxId } } });
      const run = contact.data?.latestRun;
      if (run && run.flowId === flowId) setPath(run.path);
      if (!stopped) timer = setTimeout(() => void poll(), pollMs);
    };
    let timer = setTimeout(() => void poll(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [inboxId, contactId, flowId, setPath]);

  useEffect(() => {
    chat.current?.scrollTo({ top: chat.current.scrollHeight });
  }, [items]);
  useEffect(() => () => setPath([]), [setPath]);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!inboxId || !text.trim()) return;
    const said = text.trim();
    setText('');
    setItems((list) => [...list, { seq: `me-${Date.now()}`, type: 'me', text: said }]);
    await api.POST('/webchat/{inboxId}/messages', { params: { path: { inboxId } }, body: { contactId, text: said } });
  }

  async function createInbox() {
    const inbox = await must(api.POST('/inboxes', { body: { channel: 'webchat', name: 'Test chat' } as never }));
    setInboxId(inbox.id);
  }

  function restart() {
    after.current = 0;
    setItems([]);
    setPath([]);
    setContactId(`test-${Math.random().toString(36).slice(2, 10)}`);
  }

  return (
    <aside className="side-panel test-panel" aria-label="Test panel">
      <div className="card-head">
        <div><h2>Test</h2><p>{published ? `Chats with version ${published} as a new customer.` : 'Publish the flow to chat with it.'}</p></div>
        <div className="row" style={{ gap: 4 }}>
          <button className="btn small ghost" onClick={restart}>Restart</button>
          <button className="btn icon ghost" aria-label="Close test panel" onClick={onClose}><Icon name="close" /></button>
        </div>
      </div>
      {inboxId === null ? (
        <div className="empty">
          <strong>No web chat inbox</strong>
          <span>The test chat talks through a web-chat inbox.</span>
          {may.manageInboxes ? <button className="btn primary" onClick={() => void createInbox()}>Add a web chat inbox</button> : <span className="hint">Ask an admin to add one under Inboxes.</span>}
        </div>
      ) : (
        <>
          <div className="chat" ref={chat} data-testid="chat">
            {items.length === 0 && <p className="hint" style={{ textAlign: 'center', marginTop: 24 }}>Say a keyword of the Start block.</p>}
            {items.map((item) =>
              item.type === 'me' ? (
                <div key={item.seq} className="bubble me">{item.text}</div>
              ) : item.type === 'offer' || item.buttons.length > 0 ? (
                <div key={item.seq} className="offer" data-testid="offer">
                  {item.imageUrl && <img src={item.imageUrl} alt="" />}
                  {item.text && <p>{item.text}</p>}
                  {item.buttons.map((b) => <a key={b.url} href={b.url} target="_blank" rel="noreferrer">{b.title}</a>)}
                </div>
              ) : item.type === 'image' ? (
                <div key={item.seq} className="offer">{item.imageUrl && <img src={item.imageUrl} alt="" />}</div>
              ) : (
                <div key={item.seq} className="bubble bot">{item.text}</div>
              ),
            )}
          </div>
          <form className="chat-form" onSubmit={send}>
            <input className="input grow" aria-label="Message" placeholder="Type a message" value={text} onChange={(e) => setText(e.target.value)} disabled={!inboxId} />
            <button className="btn primary" disabled={!inboxId || !text.trim()}>Send</button>
          </form>
        </>
      )}
    </aside>
  );
}
