import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { blockDefinitions, isBlockType } from '@couponflow/nodes';
import { CouponStateBadge } from '../coupons/couponState';
import { lookOf, summaryOf } from './blockLook';
import { useCanvas, type BlockNode as BlockNodeType } from './canvasStore';
import { useCouponList } from './couponsStore';

/** Every block drawn from its definition: a target handle, and one labelled source handle per port id. */
export const BlockNode = memo(function BlockNode({ id, type, data, selected }: NodeProps<BlockNodeType>) {
  const definition = isBlockType(type) ? blockDefinitions[type] : undefined;
  const problems = useCanvas((s) => s.problems[id]);
  const path = useCanvas((s) => s.path);
  const onPath = path.some((step) => step.nodeId === id);
  const portsTaken = path.filter((step) => step.nodeId === id).map((step) => step.port);
  const look = lookOf(type);
  const summary = summaryOf(type, data);
  const classes = ['block', selected && 'selected', problems?.length && 'has-problem', onPath && 'on-path'].filter(Boolean).join(' ');

  return (
    <div className={classes} data-testid={`node-${type}`} data-node-id={id}>
      {type !== 'start' && <Handle type="target" position={Position.Left} />}
      <div className="block-head">
        <span className="pi-icon" style={{ background: look.color }}>{look.glyph}</span>
        <strong>{definition?.label ?? type}</strong>
      </div>
      <div className="block-body">
        {type === 'distribute_coupon' && <CouponLine couponId={data.couponId as string} />}
        {summary ? <span className="summary">{summary}</span> : type !== 'distribute_coupon' && <span className="muted">Not set up yet</span>}
      </div>
      {problems && problems.length > 0 && (
        <div className="block-problems" role="alert">
          {problems.slice(0, 3).map((p, i) => <div key={i}>{p.message}</div>)}
          {problems.length > 3 && <div>and {problems.length - 3} more</div>}
        </div>
      )}
      {definition && definition.ports.length > 0 && (
        <div className="block-ports">
          {definition.ports.map((port) => (
            <div key={port.id} className={`block-port${portsTaken.includes(port.id) ? ' on-path' : ''}`} data-port={port.id}>
              {port.label}
              <Handle type="source" position={Position.Right} id={port.id} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

function CouponLine({ couponId }: { couponId: string | undefined }) {
  const coupon = useCouponList((s) => s.coupons?.find((c) => c.id === couponId));
  if (!couponId) return <span className="muted">No coupon chosen</span>;
  if (!coupon) return <span className="muted">Unknown coupon</span>;
  return (
    <div className="coupon-chip" data-testid="node-coupon">
      <strong style={{ color: 'var(--text)' }}>{coupon.name}</strong>
      <CouponStateBadge coupon={coupon} />
    </div>
  );
}
