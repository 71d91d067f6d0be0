import type { SendMessageConfig, UrlButton } from '@couponflow/nodes';
import { Counter, Field } from '../../../ui/Field';
import { ImageUrlField } from './ImageUrlField';
import type { PanelProps } from './NodePanel';

export function SendMessagePanel({ data, errors, onChange }: PanelProps<Partial<SendMessageConfig>>) {
  const buttons = data.buttons ?? [];
  const setButtons = (next: UrlButton[]) => {
    const { buttons: _, ...rest } = data;
    onChange(next.length ? { ...rest, buttons: next } : rest);
  };
  return (
    <>
      <Field label="Message" htmlFor="message-text" error={errors.text} aside={<Counter value={data.text ?? ''} max={2000} />} hint="Use {{contact.…}}, {{coupon.code}} or {{vars.…}}">
        <textarea id="message-text" className={`textarea${errors.text ? ' invalid' : ''}`} value={data.text ?? ''} onChange={(e) => onChange({ ...data, text: e.target.value })} />
      </Field>
      <ImageUrlField value={data.imageUrl} error={errors.imageUrl} onChange={(imageUrl) => {
        const { imageUrl: _, ...rest } = data;
        onChange(imageUrl ? { ...rest, imageUrl } : rest);
      }} />
      <div className="stack tight">
        <span className="label">Link buttons <span className="counter">{buttons.length}/3</span></span>
        {buttons.map((b, i) => (
          <div key={i} className="stack tight" style={{ padding: 10, border: '1px solid var(--border)', borderRadius: 8 }}>
            <Field label="Title" htmlFor={`button-title-${i}`} error={errors[`buttons.${i}.title`]} aside={<Counter value={b.title} max={20} />}>
              <input id={`button-title-${i}`} className="input" value={b.title} onChange={(e) => setButtons(buttons.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))} />
            </Field>
            <Field label="Link" htmlFor={`button-url-${i}`} error={errors[`buttons.${i}.url`]}>
              <input id={`button-url-${i}`} className="input" value={b.url} placeholder="https://…" onChange={(e) => setButtons(buttons.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)))} />
            </Field>
            <button type="button" className="btn small ghost" onClick={() => setButtons(buttons.filter((_, j) => j !== i))}>Remove button</button>
          </div>
        ))}
        {buttons.length < 3 && <button type="button" className="btn small" onClick={() => setButtons([...buttons, { title: '', url: 'https://' }])}>Add a button</button>}
      </div>
    </>
  );
}
