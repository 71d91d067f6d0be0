import type { WaitForReplyConfig } from '@couponflow/nodes';
import { Field } from '../../../ui/Field';
import type { PanelProps } from './NodePanel';

export function WaitForReplyPanel({ data, errors, onChange }: PanelProps<Partial<WaitForReplyConfig>>) {
  const minutes = data.timeoutSeconds ? Math.round(data.timeoutSeconds / 60) : '';
  return (
    <>
      <Field label="Save the reply as" htmlFor="variable" error={errors.variable} hint={`Use it later as {{vars.${data.variable || 'name'}}}`}>
        <input id="variable" className={`input mono${errors.variable ? ' invalid' : ''}`} value={data.variable ?? ''} onChange={(e) => onChange({ ...data, variable: e.target.value })} />
      </Field>
      <Field label="Give up after (minutes)" htmlFor="timeout" error={errors.timeoutSeconds} hint="Leaves by “Timeout”. Empty: wait indefinitely.">
        <input id="timeout" type="number" min={1} className={`input${errors.timeoutSeconds ? ' invalid' : ''}`} value={minutes} onChange={(e) => {
          const { timeoutSeconds: _, ...rest } = data;
          onChange(e.target.value ? { ...rest, timeoutSeconds: Number(e.target.value) * 60 } : rest);
        }} />
      </Field>
    </>
  );
}
