import { useEffect, useState } from 'react';
import { api, must } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { toast } from '../../ui/toasts';

/** Published versions, newest first; restoring copies one into the draft (undo brings the draft back). */
export function VersionsPanel({ flowId, current, onRestore, onClose }: { flowId: string; current: number | null; onRestore(draft: Awaited<ReturnType<typeof restore>>): void; onClose(): void }) {
  const [versions, setVersions] = useState<{ version: number; publishedAt: string }[] | null>(null);
  useEffect(() => void must(api.GET('/flows/{id}/versions', { params: { path: { id: flowId } } })).then((r) => setVersions(r.items)), [flowId, current]);
  return (
    <aside className="side-panel" aria-label="Version history">
      <div className="card-head">
        <div><h2>Version history</h2><p>Customers always run the newest published version.</p></div>
        <button className="btn icon ghost" aria-label="Close history" onClick={onClose}><Icon name="close" /></button>
      </div>
      <div className="versions">
        {versions?.length === 0 && <div className="empty">Nothing published yet.</div>}
        {versions?.map((v) => (
          <div key={v.version} className="version-row">
            <div>
              <strong>Version {v.version}</strong> {v.version === current && <span className="badge green">Live</span>}
              <div className="hint">{formatDateTime(v.publishedAt)}</div>
            </div>
            <button className="btn small" onClick={() => void restore(flowId, v.version).then((flow) => { onRestore(flow); toast(`Version ${v.version} restored into the draft`); })}>Restore</button>
          </div>
        ))}
      </div>
    </aside>
  );
}

async function restore(flowId: string, version: number) {
  return must(api.POST('/flows/{id}/versions/{version}/restore', { params: { path: { id: flowId, version } } }));
}
