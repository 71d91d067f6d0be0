import { describe, expect, it } from 'vitest';
import { edge, existingCoupons, node } from './testing/flowBuilders';
import { validateFlow } from './validateFlow';

/** start → offer → one branch per outcome: the flow a coupon campaign is built around. */
function couponCampaign() {
  return {
    nodes: [
      node('start', 'start'),
      node('offer', 'distribute_coupon'),
      node('thanks', 'send_message', { text: 'Enjoy {{coupon.code}}!' }),
      node('expired', 'send_message', { text: 'Sorry, this offer has ended.' }),
      node('again', 'send_message', { text: 'You already used this coupon.' }),
      node('gone', 'send_message', { text: 'All coupons are gone.' }),
      node('oops', 'send_message', { text: 'Something went wrong ({{coupon.reason}}).' }),
      node('tag', 'tag_contact'),
      node('end', 'end'),
    ],
    edges: [
      edge('e1', 'start', 'next', 'offer'),
      edge('e2', 'offer', 'redeemed', 'thanks'),
      edge('e3', 'offer', 'coupon_expired', 'expired'),
      edge('e4', 'offer', 'customer_max_uses_reached', 'again'),
      edge('e5', 'offer', 'coupon_max_uses_reached', 'gone'),
      edge('e6', 'offer', 'error', 'oops'),
      edge('e7', 'thanks', 'next', 'tag'),
      edge('e8', 'tag', 'next', 'end'),
    ],
  };
}

const problemsOf = (graph: unknown, checks = existingCoupons) => {
  const result = validateFlow(graph, checks);
  return result.ok ? [] : result.problems;
};

describe('publishing a flow', () => {
  it('accepts a campaign with every Distribute Coupon outcome wired, and types its nodes', () => {
    const result = validateFlow(couponCampaign(), existingCoupons);
    expect(result.ok).toBe(true);
    const offer = result.ok ? result.graph.nodes.find((n) => n.id === 'offer') : undefined;
    if (offer?.type !== 'distribute_coupon') throw new Error('offer should be a typed distribute_coupon node');
    expect(offer.data.buttonTitle).toBe('Get coupon');
  });

  it('accepts loops, self-loops and unwired outcomes (they end the run)', () => {
    const flow = {
      nodes: [node('start', 'start'), node('ask', 'wait_for_reply'), node('check', 'condition'), node('offer', 'distribute_coupon')],
      edges: [
        edge('e1', 'start', 'next', 'ask'),
        edge('e2', 'ask', 'next', 'check'),
        edge('e3', 'ask', 'timeout', 'ask'),
        edge('e4', 'check', 'true', 'offer'),
        edge('e5', 'check', 'false', 'ask'),
      ],
    };
    expect(problemsOf(flow)).toEqual([]);
  });

  it('needs a start block', () => {
    expect(problemsOf({ nodes: [node('end', 'end')], edges: [] })).toEqual([{ path: 'nodes', message: 'a flow needs a start block' }]);
  });

  it('flags every start block when there are two', () => {
    const flow = { nodes: [node('s1', 'start'), node('s2', 'start')], edges: [] };
    expect(problemsOf(flow)).toEqual([
      { nodeId: 's1', path: 'type', message: 'a flow has exactly one start block; found 2' },
      { nodeId: 's2', path: 'type', message: 'a flow has exactly one start block; found 2' },
    ]);
  });

  it('flags a node no path from start reaches', () => {
    const flow = couponCampaign();
    flow.nodes.push(node('island', 'send_message'), node('beyond', 'end'));
    flow.edges.push(edge('e9', 'island', 'next', 'beyond'));
    expect(problemsOf(flow)).toEqual([
      { nodeId: 'island', path: '', message: 'not reachable from the start block' },
      { nodeId: 'beyond', path: '', message: 'not reachable from the start block' },
    ]);
  });

  it('reports each invalid config field on its node', () => {
    const flow = couponCampaign();
    flow.nodes[1] = node('offer', 'distribute_coupon', { couponId: '', message: 'Hi', buttonTitle: 'Get coupon', imageUrl: 'ftp://x' });
    expect(problemsOf(flow)).toEqual([
      { nodeId: 'offer', path: 'data.couponId', message: 'choose a coupon' },
      { nodeId: 'offer', path: 'data.imageUrl', message: 'must be an https URL' },
    ]);
  });

  it('reports a nested config field with its full path', () => {
    const flow = couponCampaign();
    flow.nodes[0] = node('start', 'start', { trigger: { type: 'keyword', keywords: ['coupon', ''] } });
    expect(problemsOf(flow)).toEqual([{ nodeId: 'start', path: 'data.trigger.keywords.1', message: 'required' }]);
  });

  it('refuses a block type it does not know', () => {
    const flow = couponCampaign();
    flow.nodes.push(node('hook', 'webhook', { url: 'https://x.example' }));
    flow.edges.push(edge('e9', 'thanks', 'next', 'hook'));
    expect(problemsOf(flow)).toContainEqual({ nodeId: 'hook', path: 'type', message: 'unknown block type "webhook"' });
  });

  it('asks whether the chosen coupon exists, once per coupon', () => {
    const asked: string[] = [];
    const noCoupons = { couponExists: (id: string) => (asked.push(id), false) };
    const flow = couponCampaign();
    flow.nodes.push(node('offer2', 'distribute_coupon'));
    flow.edges.push(edge('e9', 'oops', 'next', 'offer2'));
    expect(problemsOf(flow, noCoupons)).toEqual([
      { nodeId: 'offer', path: 'data.couponId', message: 'coupon "cpn_1" does not exist' },
      { nodeId: 'offer2', path: 'data.couponId', message: 'coupon "cpn_1" does not exist' },
    ]);
    expect(asked).toEqual(['cpn_1']);
  });

  it('refuses edges to or from nodes that are not there', () => {
    const flow = couponCampaign();
    flow.edges.push(edge('e9', 'ghost', 'next', 'end'), edge('e10', 'oops', 'next', 'nowhere'));
    expect(problemsOf(flow)).toEqual([
      { edgeId: 'e9', path: 'source', message: 'there is no node "ghost"' },
      { edgeId: 'e10', nodeId: 'oops', path: 'target', message: 'there is no node "nowhere"' },
    ]);
  });

  it('refuses a port the source block does not have — ids, never indexes', () => {
    const flow = couponCampaign();
    flow.edges[1] = edge('e2', 'offer', '0', 'thanks');
    flow.edges.push(edge('e9', 'oops', 'true', 'end'));
    expect(problemsOf(flow)).toEqual([
      {
        edgeId: 'e2',
        nodeId: 'offer',
        path: 'sourceHandle',
        message: '"0" is not a port of distribute_coupon; use one of: redeemed, coupon_expired, customer_max_uses_reached, coupon_max_uses_reached, error',
      },
      { edgeId: 'e9', nodeId: 'oops', path: 'sourceHandle', message: '"true" is not a port of send_message; use one of: next' },
    ]);
  });

  it('refuses a second edge from the same port', () => {
    const flow = couponCampaign();
    flow.edges.push(edge('e9', 'offer', 'redeemed', 'end'));
    expect(problemsOf(flow)).toEqual([
      { edgeId: 'e9', nodeId: 'offer', path: 'sourceHandle', message: 'port "redeemed" is already connected by edge "e2"' },
    ]);
  });

  it('lets nothing leave an end block', () => {
    const flow = couponCampaign();
    flow.edges.push(edge('e9', 'end', 'next', 'thanks'));
    expect(problemsOf(flow)).toEqual([{ edgeId: 'e9', nodeId: 'end', path: 'source', message: 'End has no outgoing edges' }]);
  });

  it('lets nothing enter the start block', () => {
    const flow = couponCampaign();
    flow.edges.push(edge('e9', 'oops', 'next', 'start'));
    expect(problemsOf(flow)).toEqual([{ edgeId: 'e9', nodeId: 'oops', path: 'target', message: 'the start block takes no incoming edge' }]);
  });

  it('reports shape problems alone, before looking at blocks', () => {
    const flow = couponCampaign();
    flow.nodes.push(node('start', 'start'));
    expect(problemsOf(flow)).toEqual([{ nodeId: 'start', path: 'id', message: 'id "start" is used twice' }]);
  });

  it('publishes nothing from an empty canvas', () => {
    expect(problemsOf({ nodes: [], edges: [] })).toEqual([{ path: 'nodes', message: 'a flow needs a start block' }]);
  });

  it('refuses a keyword another published flow already answers, naming that flow at the start node', () => {
    const graph = couponCampaign();
    graph.nodes[0] = node('start', 'start', { trigger: { type: 'keyword', keywords: ['deals', 'Coupon'] } });
    const owners: Record<string, { flowId: string; name: string }> = { coupon: { flowId: 'flw_summer', name: 'Summer sale' } };
    const problems = problemsOf(graph, { ...existingCoupons, keywordOwner: (keyword) => owners[keyword] });
    expect(problems).toEqual([
      {
        nodeId: 'start',
        path: 'data.trigger.keywords.1',
        message: 'keyword "Coupon" already starts the published flow "Summer sale" (flw_summer)',
        otherFlowId: 'flw_summer',
      },
    ]);
    expect(problemsOf(graph, { ...existingCoupons, keywordOwner: () => undefined })).toEqual([]);
  });
});
