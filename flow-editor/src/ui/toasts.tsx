import { create } from 'zustand';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

let next = 1;
export const useToasts = create<{ items: Toast[] }>(() => ({ items: [] }));

/** A short note in the corner that goes away by itself. */
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = next++;
  useToasts.setState((s) => ({ items: [...s.items, { id, text, kind }] }));
  setTimeout(() => useToasts.setState((s) => ({ items: s.items.filter((t) => t.id !== id) })), kind === 'error' ? 6000 : 3000);
}

export function Toasts() {
  const items = useToasts((s) => s.items);
  return (
    <div className="toasts" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`}>{t.text}</div>
      ))}
    </div>
  );
}
