import { useEffect, type ReactNode } from 'react';

export function Modal({ title, subtitle, children, footer, onClose }: { title: string; subtitle?: ReactNode; children: ReactNode; footer: ReactNode; onClose(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title}>
        <div className="card-head">
          <div>
            <h2>{title}</h2>
            {subtitle && <p>{subtitle}</p>}
          </div>
        </div>
        <div className="card-body">{children}</div>
        <div className="modal-foot">{footer}</div>
      </div>
    </div>
  );
}
