import { blockDefinitions, isBlockType } from '@couponflow/nodes';
import { Icon } from '../../../ui/icons';
import { lookOf } from '../blockLook';
import { useCanvas, type BlockNode } from '../canvasStore';
import { ConditionPanel } from './ConditionPanel';
import { DistributeCouponPanel } from './DistributeCouponPanel';
import { schemaErrors } from './schemaErrors';
import { SendMessagePanel } from './SendMessagePanel';
import { StartPanel } from './StartPanel';
import { TagContactPanel } from './TagContactPanel';
import { WaitForReplyPanel } from './WaitForReplyPanel';

export interface PanelProps<T = Record<string, unknown>> {
  data: T;
  errors: Record<string, string>;
  onChange(data: Record<string, unknown>): void;
}

const panels: Record<string, (props: PanelProps<never>) => React.ReactNode> = {
  start: StartPanel,
  send_message: SendMessagePanel,
  distribute_coupon: DistributeCouponPanel,
  wait_for_reply: WaitForReplyPanel,
  condition: ConditionPanel,
  tag_contact: TagContactPanel,
};

/** The selected block's settings, written against its schema, with the schema's errors inline. */
export function NodePanel({ node, onClose }: { node: BlockNode; onClose(): void }) {
  const updateData = useCanvas((s) => s.updateData);
  const removeSelected = useCanvas((s) => s.removeSelected);
  const serverProblems = useCanvas((s) => s.problems[node.id]);
  const type = node.type ?? '';
  const definition = isBlockType(type) ? blockDefinitions[type] : undefined;
  const errors = schemaErrors(type, node.data);
  const Panel = panels[type];
  const look = lookOf(type);
  return (
    <aside className="side-panel" aria-label="Block settings">
      <div className="card-head">
        <div className="row">
          <span className="pi-icon" style={{ background: look.color, width: 28, height: 28, borderRadius: 7, display: 'grid', placeItems: 'center', color: '#fff', fontWeight: 700 }}>{look.glyph}</span>
          <div>
            <h2>{definition?.label ?? type}</h2>
            <p>{definition?.description}</p>
          </div>
        </div>
        <button className="btn icon ghost" aria-label="Close settings" onClick={onClose}><Icon name="close" /></button>
      </div>
      <div className="panel-body">
        {serverProblems && serverProblems.length > 0 && (
          <div className="alert" role="alert">
            <strong>Fix before publishing:</strong>
            <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>{serverProblems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
          </div>
        )}
        {Panel ? <Panel data={node.data as never} errors={errors} onChange={(data) => updateData(node.id, data)} /> : <p className="hint">This block has nothing to set up.</p>}
        {errors._ && <span className="error-text">{errors._}</span>}
        <button className="btn danger" onClick={removeSelected}><Icon name="trash" /> Delete block</button>
      </div>
    </aside>
  );
}
