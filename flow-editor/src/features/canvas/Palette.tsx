import type { DragEvent } from 'react';
import { lookOf } from './blockLook';
import type { NodeType } from './nodeTypesStore';

export const dragMime = 'application/x-couponflow-block';

/** Every block type the server offers, dragged onto the canvas (or clicked to add in view). */
export function Palette({ types, onAdd }: { types: NodeType[]; onAdd(type: string): void }) {
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(dragMime, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="palette" aria-label="Blocks">
      <h3>Blocks</h3>
      {types.map((t) => {
        const look = lookOf(t.type);
        return (
          <div
            key={t.type}
            className="palette-item"
            draggable
            data-testid={`palette-${t.type}`}
            onDragStart={(e) => onDragStart(e, t.type)}
            onDoubleClick={() => onAdd(t.type)}
            title="Drag onto the canvas, or double-click to add"
          >
            <span className="pi-icon" style={{ background: look.color }}>{look.glyph}</span>
            <div>
              <strong>{t.label}</strong>
              <span>{t.description}</span>
            </div>
          </div>
        );
      })}
    </aside>
  );
}
