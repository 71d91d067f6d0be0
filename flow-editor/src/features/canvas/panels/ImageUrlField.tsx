import { useState } from 'react';
import { Field } from '../../../ui/Field';

/** An https image URL with a thumbnail once it loads. */
export function ImageUrlField({ value, error, onChange }: { value: string | undefined; error: string | undefined; onChange(value: string | undefined): void }) {
  const [broken, setBroken] = useState<string | null>(null);
  return (
    <Field label="Image URL" htmlFor="image-url" error={error ?? (value && broken === value ? 'The image could not be loaded' : undefined)} hint="Optional, https">
      <input id="image-url" className={`input${error ? ' invalid' : ''}`} value={value ?? ''} placeholder="https://…" onChange={(e) => onChange(e.target.value || undefined)} />
      {value && !error && broken !== value && <img className="thumb" src={value} alt="Image preview" onError={() => setBroken(value)} />}
    </Field>
  );
}
