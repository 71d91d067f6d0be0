import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type Edge, type EdgeChange, type Node, type NodeChange } from '@xyflow/react';
import { create } from 'zustand';
import type { Schemas } from '../../api/client';

export type FlowGraph = Schemas['Flow']['draft'];
export type BlockNode = Node<Record<string, unknown>, string>;
export type RunStep = { nodeId: string; port: string | null };
export interface Problem {
  path: string;
  message: string;
}

interface Snapshot {
  nodes: BlockNode[];
  edges: Edge[];
}

interface CanvasState {
  flowId: string | null;
  nodes: BlockNode[];
  edges: Edge[];
  past: Snapshot[];
  future: Snapshot[];
  /** bumped on every change of the graph itself (not selection), so autosave knows */
  revision: number;
  /** the server's publish problems, by node id */
  problems: Record<string, Problem[]>;
  selectedId: string | null;
  clipboard: Snapshot | null;
  /** the test run's path, for highlighting */
  path: RunStep[];
  /** the node whose data is being typed into, so a burst of keystrokes is one undo step */
  typingIn: string | null;

  load(flowId: string, graph: FlowGraph): void;
  onNodesChange(changes: NodeChange<BlockNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  connect(connection: Connection): void;
  reconnect(old: Edge, connection: Connection): void;
  addNode(type: string, position: { x: number; y: number }, data: Record<string, unknown>): string;
  updateData(nodeId: string, data: Record<string, unknown>): void;
  select(nodeId: string | null): void;
  removeSelected(): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  setProblems(problems: Record<string, Problem[]>): void;
  setPath(path: RunStep[]): void;
  graph(): FlowGraph;
}

const historyLimit = 100;
const newNodeId = () => `n_${Math.random().toString(36).slice(2, 9)}`;
/** One edge per port: a port leads to exactly one next block (SPEC §3.3 "the matching port"). */
const edgeId = (c: { source: string; sourceHandle?: string | null; target: string }) => `e_${c.source}_${c.sourceHandle ?? 'next'}_${c.target}`;

export const useCanvas = create<CanvasState>((set, get) => {
  /** Records the state before a change, for undo. */
  const remember = (state = get()) => ({
    past: [...state.past, { nodes: state.nodes, edges: state.edges }].slice(-historyLimit),
    future: [],
    revision: state.revision + 1,
    typingIn: null,
  });

  const withoutPortEdge = (edges: Edge[], c: Connection) => edges.filter((e) => !(e.source === c.source && (e.sourceHandle ?? null) === (c.sourceHandle ?? null)));

  return {
    flowId: null,
    nodes: [],
    edges: [],
    past: [],
    future: [],
    revision: 0,
    problems: {},
    selectedId: null,
    clipboard: null,
    path: [],
    typingIn: null,

    load(flowId, graph) {
      set({
        flowId,
        nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, position: n.position, data: n.data as Record<string, unknown> })),
        edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null })),
        past: [],
        future: [],
        revision: 0,
        problems: {},
        selectedId: null,
        path: [],
      });
    },

    onNodesChange(changes) {
      const state = get();
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      const dragStart = changes.some((c) => c.type === 'position' && c.dragging && !state.nodes.find((n) => n.id === c.id)?.dragging);
      const dragEnd = changes.some((c) => c.type === 'position' && c.dragging === false);
      const selection = changes.find((c): c is Extract<NodeChange<BlockNode>, { type: 'select' }> => c.type === 'select' && c.selected);
      const nodes = applyNodeChanges(changes, state.nodes);
      const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
      set({
        ...(structural || dragStart ? remember(state) : {}),
        ...(dragEnd ? { revision: state.revision + 1 } : {}),
        nodes,
        ...(removed.size ? { edges: state.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) } : {}),
        ...(selection ? { selectedId: selection.id } : {}),
        ...(state.selectedId && removed.has(state.selectedId) ? { selectedId: null } : {}),
      });
    },

    onEdgesChange(changes) {
      const state = get();
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add');
      set({ ...(structural ? remember(state) : {}), edges: applyEdgeChanges(changes, state.edges) });
    },

    connect(connection) {
      if (connection.source === connection.target) return;
      const state = get();
      set({ ...remember(state), edges: addEdge({ ...connection, id: edgeId(connection) }, withoutPortEdge(state.edges, connection)) });
    },

    reconnect(old, connection) {
      const state = get();
      const rest = withoutPortEdge(state.edges.filter((e) => e.id !== old.id), connection);
      set({ ...remember(state), edges: addEdge({ ...connection, id: edgeId(connection) }, rest) });
    },

    addNode(type, position, data) {
      const id = newNodeId();
      const state = get();
      set({
        ...remember(state),
        nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), { id, type, position, data, selected: true }],
        selectedId: id,
      });
      return id;
    },

    updateData(nodeId, data) {
      const state = get();
      const history = state.typingIn === nodeId ? { revision: state.revision + 1 } : { ...remember(state), typingIn: nodeId };
      set({ ...history, nodes: state.nodes.map((n) => (n.id === nodeId ? { ...n, data } : n)) });
    },

    select(nodeId) {
      set({ selectedId: nodeId, nodes: get().nodes.map((n) => (n.selected === (n.id === nodeId) ? n : { ...n, selected: n.id === nodeId })) });
    },

    removeSelected() {
      const state = get();
      const gone = new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = state.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (!gone.size && edges.length === state.edges.length) return;
      set({ ...remember(state), nodes: state.nodes.filter((n) => !gone.has(n.id)), edges, selectedId: null });
    },

    undo() {
      const state = get();
      const previous = state.past.at(-1);
      if (!previous) return;
      set({
        past: state.past.slice(0, -1),
        future: [{ nodes: state.nodes, edges: state.edges }, ...state.future],
        nodes: previous.nodes,
        edges: previous.edges,
        revision: state.revision + 1,
        typingIn: null,
      });
    },

    redo() {
      const state = get();
      const next = state.future[0];
      if (!next) return;
      set({
        past: [...state.past, { nodes: state.nodes, edges: state.edges }],
        future: state.future.slice(1),
        nodes: next.nodes,
        edges: next.edges,
        revision: state.revision + 1,
        typingIn: null,
      });
    },

    copy() {
      const state = get();
      const nodes = state.nodes.filter((n) => n.selected);
      const ids = new Set(nodes.map((n) => n.id));
      set({ clipboard: { nodes, edges: state.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) } });
    },

    paste() {
      const state = get();
      const clip = state.clipboard;
      if (!clip?.nodes.length) return;
      const ids = new Map(clip.nodes.map((n) => [n.id, newNodeId()]));
      // Only one start per flow (SPEC §3.1): a pasted start would make the flow unpublishable.
      const nodes = clip.nodes
        .filter((n) => n.type !== 'start')
        .map((n) => ({ ...n, id: ids.get(n.id)!, position: { x: n.position.x + 40, y: n.position.y + 40 }, data: structuredClone(n.data), selected: true }));
      const kept = new Set(nodes.map((n) => n.id));
      const edges = clip.edges
        .map((e) => ({ ...e, source: ids.get(e.source)!, target: ids.get(e.target)!, selected: false }))
        .filter((e) => kept.has(e.source) && kept.has(e.target))
        .map((e) => ({ ...e, id: edgeId(e) }));
      set({
        ...remember(state),
        nodes: [...state.nodes.map((n) => ({ ...n, selected: false })), ...nodes],
        edges: [...state.edges, ...edges],
        clipboard: { nodes: nodes.map((n) => ({ ...n, selected: false })), edges },
        selectedId: nodes.length === 1 ? nodes[0]!.id : null,
      });
    },

    setProblems(problems) {
      set({ problems });
    },

    setPath(path) {
      set({ path });
    },

    graph() {
      const { nodes, edges } = get();
      return {
        nodes: nodes.map((n) => ({ id: n.id, type: n.type as FlowGraph['nodes'][number]['type'], position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data: n.data })),
        edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}) })),
      } as FlowGraph;
    },
  };
});
