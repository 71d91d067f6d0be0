import type { StartConfig } from '@couponflow/nodes';
import { Field } from '../../../ui/Field';
import { ListEditor, under } from './ListEditor';
import type { PanelProps } from './NodePanel';

export function StartPanel({ data, errors, onChange }: PanelProps<Partial<StartConfig>>) {
  const trigger = data.trigger ?? { type: 'keyword', keywords: [] };
  return (
    <>
      <Field label="Starts when" htmlFor="trigger-type">
        <select id="trigger-type" className="select" value={trigger.type} onChange={(e) => {
          const type = e.target.value as StartConfig['trigger']['type'];
          onChange({ ...data, trigger: type === 'keyword' ? { type, keywords: [] } : { type } });
        }}>
          <option value="keyword">A customer sends a keyword</option>
          <option value="default">Any message from someone not in a conversation</option>
          <option value="broadcast">Only when broadcast</option>
        </select>
      </Field>
      {trigger.type === 'keyword' && (
        <Field label="Keywords" htmlFor="keywords" error={errors['trigger.keywords']} hint="The whole message, ignoring case. Press Enter after each.">
          <ListEditor id="keywords" values={trigger.keywords ?? []} placeholder="e.g. coupon" errors={under(errors, 'trigger.keywords')} onChange={(keywords) => onChange({ ...data, trigger: { type: 'keyword', keywords } })} />
        </Field>
      )}
    </>
  );
}
