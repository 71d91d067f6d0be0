import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Edge } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { api, must, problemOf, type Schemas } from '../../api/client';
import { navigate } from '../../app/router';
import { Icon } from '../../ui/icons';
import { Link } from '../../ui/Link';
import { toast } from '../../ui/toasts';
import { can, useSession } from '../session/sessionStore';
import { BlockNode } from './BlockNode';
import { lookOf } from './blockLook';
import { useCanvas, type Problem } from './canvasStore';
import { useCouponList } from './couponsStore';
import { useNodeTypes } from './nodeTypesStore';
import { dragMime, Palette } from './Palette';
import { NodePanel } from './panels/NodePanel';
import { TestPanel } from './TestPanel';
import { useAutosave, type SaveState } from './useAutosave';
import { VersionsPanel } from './VersionsPanel';
import { useCanvasKeys } from './useCanvasKeys';

type Flow = Schemas['Flow'];
type Side = 'node' | 'test' | 'versions' | null;

export default function CanvasPage({ flowId }: { flowId: string }) {
  return (
    <ReactFlowProvider>
      <Canvas flowId={flowId} />
    </ReactFlowProvider>
  );
}

const saveText: Record<SaveState, string> = { saved: 'All changes saved', saving: 'Saving…', unsaved: 'Unsaved changes', failed: 'Could not save — retrying on the next change' };

function Canvas({ flowId }: { flowId: string }) {
  const may = can(useSession((s) => s.session?.role));
  const couponsOn = useSession((s) => s.session?.features?.coupons !== false);
  const [flow, setFlow] = useState<Flow | null>(null);
  const [side, setSide] = useState<Side>(null);
  const [publishing, setPublishing] = useState(false);
  const { types, load: loadTypes } = useNodeTypes();
  const loadCoupons = useCouponList((s) => s.load);
  const store = useCanvas();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const autosave = useAutosave(flowId);
  useCanvasKeys();

  useEffect(() => {
    void loadTypes();
    if (may.readCoupons && couponsOn) void loadCoupons();
    void must(api.GET('/flows/{id}', { params: { path: { id: flowId } } })).then(
      (f) => {
        setFlow(f);
        useCanvas.getState().load(f.id, f.draft);
      },
      () => navigate('/flows'),
    );
  }, [flowId]);

  const selected = store.nodes.find((n) => n.id === store.selectedId && n.selected);
  useEffect(() => {
    if (selected) setSide((s) => (s === 'test' || s === 'versions' ? s : 'node'));
  }, [selected?.id]);

  const addBlock = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const definition = types.find((t) => t.type === type);
      if (!definition) return;
      const at = position ?? screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
      useCanvas.getState().addNode(type, at, structuredClone(definition.defaults));
      setSide('node');
    },
    [types, screenToFlowPosition],
  );

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const type = event.dataTransfer.getData(dragMime);
    if (type) addBlock(type, screenToFlowPosition({ x: event.clientX - 110, y: event.clientY - 20 }));
  };

  async function publish() {
    setPublishing(true);
    try {
      if (!(await autosave.flush())) return toast('The draft could not be saved', 'error');
      const { data, error, response } = await api.POST('/flows/{id}/publish', { params: { path: { id: flowId } } });
      if (data) {
        store.setProblems({});
        setFlow((f) => f && { ...f, publishedVersion: data.version });
        toast(`Published version ${data.version}`);
        return;
      }
      const problem = problemOf(error);
      if (response.status !== 422) return toast(problem.message, 'error');
      const byNode: Record<string, Problem[]> = {};
      const general: string[] = [];
      for (const d of problem.details) {
        if (d.nodeId) (byNode[d.nodeId] ??= []).push({ path: d.path, message: d.message });
        else general.push(d.message);
      }
      store.setProblems(byNode);
      const count = Object.values(byNode).reduce((n, list) => n + list.length, 0) + general.length;
      toast(`Not published: ${count} problem${count === 1 ? '' : 's'} to fix${general.length ? ` — ${general.join('; ')}` : ' (marked on the blocks)'}`, 'error');
    } finally {
      setPublishing(false);
    }
  }

  const path = store.path;
  const edges = useMemo<Edge[]>(() => {
    if (!path.length) return store.edges;
    const taken = new Set<string>();
    path.forEach((step, i) => {
      const next = path[i + 1];
      if (step.port && next) taken.add(`${step.nodeId}|${step.port}|${next.nodeId}`);
    });
    return store.edges.map((e) => (taken.has(`${e.source}|${e.sourceHandle}|${e.target}`) ? { ...e, className: 'on-path', animated: true } : e));
  }, [store.edges, path]);

  const initialFit = useMemo(() => fitAround(flow?.draft.nodes ?? []), [flow]);
  const nodeTypes = useMemo(() => Object.fromEntries(['start', 'send_message', 'distribute_coupon', 'wait_for_reply', 'condition', 'tag_contact', 'end', ...types.map((t) => t.type)].map((t) => [t, BlockNode])), [types]);

  return (
    <div className="editor">
      <header className="editor-bar">
        <Link className="btn icon ghost" to="/flows" aria-label="Back to flows"><Icon name="back" /></Link>
        <div className="stack" style={{ gap: 0 }}>
          <span className="title">{flow?.name ?? ''}</span>
          <span className="save-state" data-testid="save-state">{saveText[autosave.state]}</span>
        </div>
        {flow?.publishedVersion ? <span className="badge green">Live: version {flow.publishedVersion}</span> : <span className="badge">Not published</span>}
        <div className="grow" />
        <button className="btn icon" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!store.past.length} onClick={store.undo}><Icon name="undo" /></button>
        <button className="btn icon" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!store.future.length} onClick={store.redo}><Icon name="redo" /></button>
        <button className="btn icon" aria-label="Fit view" title="Fit view" onClick={() => void fitView({ padding: 0.2, duration: 200 })}><Icon name="fit" /></button>
        <button className={`btn${side === 'versions' ? ' primary' : ''}`} onClick={() => setSide(side === 'versions' ? null : 'versions')}><Icon name="history" /> History</button>
        <button className={`btn${side === 'test' ? ' primary' : ''}`} onClick={() => setSide(side === 'test' ? null : 'test')}><Icon name="chat" /> Test</button>
        <button className="btn primary" disabled={!may.publish || publishing} title={may.publish ? 'Validate and publish the draft' : 'Only owners and admins publish flows'} onClick={() => void publish()}>
          {publishing ? 'Publishing…' : 'Publish'}
        </button>
      </header>
      <div className="editor-body">
        <Palette types={types} onAdd={(t) => addBlock(t)} />
        <div className="canvas-wrap" onDrop={onDrop} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }}>
          {flow && (
            <ReactFlow
              nodes={store.nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={store.onNodesChange}
              onEdgesChange={store.onEdgesChange}
              onConnect={store.connect}
              onReconnect={store.reconnect}
              // React Flow has already selected the node (onNodesChange); only the panel opens here.
              onNodeClick={() => setSide('node')}
              onPaneClick={() => side === 'node' && setSide(null)}
              deleteKeyCode={['Delete', 'Backspace']}
              // Fit a flow that has blocks; an empty one keeps zoom 1, so dropped blocks stay where they land.
              fitView={flow.draft.nodes.length > 0}
              fitViewOptions={initialFit}
              minZoom={0.05}
              onlyRenderVisibleElements
              defaultEdgeOptions={{ type: 'smoothstep' }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} color="#e4e7ec" />
              <MiniMap pannable zoomable nodeColor={(n) => lookOf(n.type ?? '').color} ariaLabel="Minimap" />
              <Controls showInteractive={false} />
            </ReactFlow>
          )}
          {flow && store.nodes.length === 0 && (
            <div className="canvas-hint">
              <strong>Drag a Start block here to begin</strong>
              <span>Then add a Distribute Coupon block and wire a reply to each of its outcomes.</span>
            </div>
          )}
        </div>
        {side === 'node' && selected && <NodePanel node={selected} onClose={() => { store.select(null); setSide(null); }} />}
        {side === 'test' && <TestPanel flowId={flowId} published={flow?.publishedVersion ?? null} onClose={() => setSide(null)} />}
        {side === 'versions' && (
          <VersionsPanel
            flowId={flowId}
            current={flow?.publishedVersion ?? null}
            onClose={() => setSide(null)}
            onRestore={(restored) => {
              const state = useCanvas.getState();
              state.load(flowId, restored.draft);
              // Restoring is itself an edit: it is saved, and undo brings the previous draft back.
              useCanvas.setState({ past: [{ nodes: state.nodes, edges: state.edges }], revision: 1 });
            }}
          />
        )}
      </div>
    </div>
  );
}

/** Blocks a designer can read at once; a bigger flow opens around its start instead of as a speck. */
const readableCount = 30;

function fitAround(nodes: Flow['draft']['nodes']) {
  const options = { padding: 0.2, maxZoom: 1 };
  const start = nodes.find((n) => n.type === 'start') ?? nodes[0];
  if (nodes.length <= readableCount || !start) return options;
  const distance = (n: (typeof nodes)[number]) => Math.hypot(n.position.x - start.position.x, n.position.y - start.position.y);
  const nearest = [...nodes].sort((a, b) => distance(a) - distance(b)).slice(0, readableCount);
  return { ...options, nodes: nearest.map((n) => ({ id: n.id })) };
}
