import { useState } from 'react';

/** A list of short strings as chips, with an input that adds on Enter or comma. */
export function ListEditor({ id, values, onChange, placeholder, errors }: { id: string; values: string[]; onChange(values: string[]): void; placeholder: string; errors: Record<string, string>; }) {
  const [text, setText] = useState('');
  const add = () => {
    const value = text.trim().replace(/,$/, '');
    if (value) onChange([...values, value]);
    setText('');
  };
  return (
    <div className="stack tight">
      {values.length > 0 && (
        <div className="chip-list">
          {values.map((v, i) => (
            <span key={`${v}-${i}`} className="chip" title={errors[String(i)]} style={errors[String(i)] ? { background: 'var(--danger-soft)', color: 'var(--danger)' } : undefined}>
              {v}
              <button type="button" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((_, j) => j !== i))}>×</button>
            </span>
          ))}
        </div>
      )}
      <input
        id={id}
        className="input"
        value={text}
        placeholder={placeholder}
        onChange={(e) => (e.target.value.endsWith(',') ? (setText(e.target.value), undefined) : setText(e.target.value))}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
      {Object.entries(errors).filter(([k]) => /^\d+$/.test(k)).map(([k, m]) => <span key={k} className="error-text">{m}</span>)}
    </div>
  );
}

/** Errors below `prefix.` with the prefix taken off. */
export function under(errors: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`${prefix}.`)).map(([k, v]) => [k.slice(prefix.length + 1), v]));
}
