import type { TagContactConfig } from '@couponflow/nodes';
import { Field } from '../../../ui/Field';
import { ListEditor, under } from './ListEditor';
import type { PanelProps } from './NodePanel';

export function TagContactPanel({ data, errors, onChange }: PanelProps<Partial<TagContactConfig>>) {
  return (
    <>
      <Field label="Add tags" htmlFor="tags-add" error={errors.add}>
        <ListEditor id="tags-add" values={data.add ?? []} placeholder="e.g. vip" errors={under(errors, 'add')} onChange={(add) => onChange({ ...data, add })} />
      </Field>
      <Field label="Remove tags" htmlFor="tags-remove" error={errors.remove}>
        <ListEditor id="tags-remove" values={data.remove ?? []} placeholder="e.g. new" errors={under(errors, 'remove')} onChange={(remove) => onChange({ ...data, remove })} />
      </Field>
    </>
  );
}
