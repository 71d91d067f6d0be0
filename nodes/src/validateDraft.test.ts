import { describe, expect, it } from 'vitest';
import { edge, node } from './testing/flowBuilders';
import { flowLimits } from './flowGraph';
import { validateDraft } from './validateDraft';

describe('saving a draft', () => {
  it('accepts a half-built flow: shape only, config may be empty', () => {
    const draft = { nodes: [node('n1', 'start', {}), node('n2', 'distribute_coupon', { couponId: '' })], edges: [] };
    expect(validateDraft(draft)).toEqual({ ok: true, graph: draft });
  });

  it('drops what React Flow adds to nodes and edges', () => {
    const result = validateDraft({
      nodes: [{ ...node('n1', 'end'), measured: { width: 120, height: 40 }, selected: true, width: 120, dragging: false }],
      edges: [{ ...edge('e1', 'n1', 'next', 'n2'), targetHandle: null, animated: true, selected: false }],
    });
    expect(result).toEqual({
      ok: true,
      graph: { nodes: [node('n1', 'end')], edges: [{ ...edge('e1', 'n1', 'next', 'n2'), targetHandle: null }] },
    });
  });

  it('places shape problems on the node or edge they belong to', () => {
    const result = validateDraft({
      nodes: [{ id: 'n1', type: 'end', position: { x: 'left', y: 0 }, data: {} }],
      edges: [{ id: 'e1', source: 'n1', sourceHandle: 0, target: 'n2' }],
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        { nodeId: 'n1', path: 'position.x', message: expect.any(String) },
        { edgeId: 'e1', path: 'sourceHandle', message: expect.any(String) },
      ],
    });
  });

  it('names the list index when the element has no id to name', () => {
    const result = validateDraft({ nodes: [{ type: 'end' }], edges: [] });
    expect(result.ok || result.problems.map((p) => p.path)).toEqual(['nodes.0.id', 'nodes.0.position', 'nodes.0.data']);
  });

  it('refuses a body that is not a graph at all', () => {
    expect(validateDraft(null)).toMatchObject({ ok: false, problems: [{ path: '' }] });
    expect(validateDraft({ nodes: [] })).toMatchObject({ ok: false, problems: [{ path: 'edges' }] });
  });

  it('refuses two nodes or two edges with one id', () => {
    const result = validateDraft({
      nodes: [node('n1', 'start'), node('n1', 'end')],
      edges: [edge('e1', 'n1', 'next', 'n1'), edge('e1', 'n1', 'next', 'n1')],
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        { nodeId: 'n1', path: 'id', message: 'id "n1" is used twice' },
        { edgeId: 'e1', path: 'id', message: 'id "e1" is used twice' },
      ],
    });
  });

  it(`stops at ${flowLimits.nodes} nodes and ${flowLimits.edges} edges`, () => {
    const nodes = Array.from({ length: flowLimits.nodes }, (_, i) => node(`n${i}`, 'end'));
    const edges = Array.from({ length: flowLimits.edges }, (_, i) => edge(`e${i}`, 'n0', 'next', 'n1'));
    expect(validateDraft({ nodes, edges }).ok).toBe(true);
    expect(validateDraft({ nodes: [...nodes, node('extra', 'end')], edges })).toMatchObject({ ok: false, problems: [{ path: 'nodes' }] });
    expect(validateDraft({ nodes, edges: [...edges, edge('extra', 'n0', 'next', 'n1')] })).toMatchObject({
      ok: false,
      problems: [{ path: 'edges' }],
    });
  });
});
