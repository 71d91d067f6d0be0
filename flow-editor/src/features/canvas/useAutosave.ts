import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { useCanvas } from './canvasStore';

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed';

/** Saves the draft shortly after the last change; `flush` saves now (before publishing). */
export function useAutosave(flowId: string) {
  const revision = useCanvas((s) => s.revision);
  const [state, setState] = useState<SaveState>('saved');
  const savedRevision = useRef(0);
  const pending = useRef<Promise<boolean> | null>(null);

  const save = async (): Promise<boolean> => {
    const { revision: at, graph } = useCanvas.getState();
    if (at === savedRevision.current) return true;
    setState('saving');
    const { response } = await api.PUT('/flows/{id}/draft', { params: { path: { id: flowId } }, body: graph() });
    if (!response.ok) {
      setState('failed');
      return false;
    }
    savedRevision.current = Math.max(savedRevision.current, at);
    setState(useCanvas.getState().revision === savedRevision.current ? 'saved' : 'unsaved');
    return true;
  };

  useEffect(() => {
    if (revision === savedRevision.current) return;
    setState('unsaved');
    const timer = setTimeout(() => void (pending.current = save()), 600);
    return () => clearTimeout(timer);
  }, [revision]);

  // A load starts from revision 0 again; leaving the canvas saves what the timer had not yet.
  useEffect(() => {
    savedRevision.current = 0;
    const warn = (event: BeforeUnloadEvent) => {
      if (useCanvas.getState().revision !== savedRevision.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      void save();
    };
  }, [flowId]);

  return {
    state,
    async flush() {
      await pending.current;
      return save();
    },
  };
}
