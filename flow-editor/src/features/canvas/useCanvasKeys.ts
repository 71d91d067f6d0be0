import { useEffect } from 'react';
import { useCanvas } from './canvasStore';

/** Undo/redo and copy/paste from the keyboard, unless the user is typing in a field. */
export function useCanvasKeys() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      const canvas = useCanvas.getState();
      if (key === 'z' && !event.shiftKey) canvas.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') canvas.redo();
      else if (key === 'c') canvas.copy();
      else if (key === 'v') canvas.paste();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
