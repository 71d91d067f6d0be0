import { beforeEach, describe, expect, it } from 'vitest';
import { useCanvas } from './canvasStore';

const canvas = () => useCanvas.getState();
const graph = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: { type: 'keyword', keywords: ['hi'] } } },
    { id: 'offer', type: 'distribute_coupon', position: { x: 300, y: 0 }, data: { couponId: '', message: '', buttonTitle: 'Get' } },
  ],
  edges: [],
};

beforeEach(() => canvas().load('flw_1', graph));

describe('the canvas store', () => {
  it('one edge per port: connecting a port again replaces its edge; ports are named by id', () => {
    canvas().addNode('send_message', { x: 600, y: 0 }, { text: 'a' });
    canvas().addNode('send_message', { x: 600, y: 200 }, { text: 'b' });
    const [a, b] = canvas().nodes.slice(2).map((n) => n.id);
    canvas().connect({ source: 'offer', sourceHandle: 'redeemed', target: a!, targetHandle: null });
    canvas().connect({ source: 'offer', sourceHandle: 'redeemed', target: b!, targetHandle: null });
    expect(canvas().graph().edges).toEqual([{ id: `e_offer_redeemed_${b}`, source: 'offer', sourceHandle: 'redeemed', target: b }]);
  });

  it('undo and redo walk the history of changes', () => {
    canvas().connect({ source: 'start', sourceHandle: 'next', target: 'offer', targetHandle: null });
    canvas().updateData('offer', { couponId: 'cpn_1', message: 'Hi', buttonTitle: 'Get' });
    canvas().undo();
    expect(canvas().nodes.find((n) => n.id === 'offer')!.data.couponId).toBe('');
    expect(canvas().edges).toHaveLength(1);
    canvas().undo();
    expect(canvas().edges).toHaveLength(0);
    canvas().redo();
    canvas().redo();
    expect(canvas().nodes.find((n) => n.id === 'offer')!.data.couponId).toBe('cpn_1');
  });

  it('typing into one block is one undo step', () => {
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) canvas().updateData('offer', { couponId: '', message: text, buttonTitle: 'Get' });
    canvas().undo();
    expect(canvas().nodes.find((n) => n.id === 'offer')!.data.message).toBe('');
  });

  it('copy and paste duplicates the selection with new ids and its inner edges, but never a second start', () => {
    canvas().connect({ source: 'start', sourceHandle: 'next', target: 'offer', targetHandle: null });
    useCanvas.setState({ nodes: canvas().nodes.map((n) => ({ ...n, selected: true })), edges: canvas().edges.map((e) => ({ ...e, selected: true })) });
    canvas().copy();
    canvas().paste();
    const { nodes, edges } = canvas().graph();
    expect(nodes.filter((n) => n.type === 'start')).toHaveLength(1);
    expect(nodes.filter((n) => n.type === 'distribute_coupon')).toHaveLength(2);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    expect(edges).toHaveLength(1); // the start → offer edge had one end outside what was pasted
  });

  it('deleting selected blocks removes their edges too', () => {
    canvas().connect({ source: 'start', sourceHandle: 'next', target: 'offer', targetHandle: null });
    canvas().select('offer');
    canvas().removeSelected();
    expect(canvas().graph()).toMatchObject({ nodes: [{ id: 'start' }], edges: [] });
  });
});
