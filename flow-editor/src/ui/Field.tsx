import type { ReactNode } from 'react';

/** A labelled form control with its hint or inline error underneath. */
export function Field({ label, error, hint, aside, children, htmlFor }: { label: string; error?: string | undefined; hint?: ReactNode; aside?: ReactNode; children: ReactNode; htmlFor?: string }) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>
        <span>{label}</span>
        {aside}
      </label>
      {children}
      {error ? <span className="error-text" role="alert">{error}</span> : hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}

/** "12/20" that turns red past the limit. */
export function Counter({ value, max }: { value: string; max: number }) {
  return <span className={`counter${value.length > max ? ' over' : ''}`}>{value.length}/{max}</span>;
}
