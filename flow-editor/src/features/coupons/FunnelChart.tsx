import { formatNumber } from '../../ui/format';
import type { Stats } from './CouponsPage';

/** sent → opened → redeemed → verified; the API counts the records that got at least that far. */
export function FunnelChart({ stats }: { stats: Stats }) {
  const { sent, opened, redeemed, verified } = stats;
  const steps = [
    { label: 'Sent', value: sent },
    { label: 'Opened', value: opened },
    { label: 'Redeemed', value: redeemed },
    { label: 'Verified', value: verified },
  ];
  return (
    <section className="card" aria-label="Funnel">
      <div className="card-head">
        <div><h2>Funnel</h2><p>{formatNumber(stats.expired)} expired · {formatNumber(stats.revoked)} revoked</p></div>
      </div>
      <div className="card-body funnel">
        {steps.map((step, i) => (
          <div key={step.label} className="funnel-step" data-testid={`funnel-${step.label.toLowerCase()}`}>
            <span className="stat-label">{step.label}</span>
            <span className="big">{formatNumber(step.value)}</span>
            <div className="funnel-bar"><div style={{ height: `${sent ? Math.max(2, (step.value / sent) * 100) : 2}%` }} /></div>
            <span className="hint">{i === 0 ? '100%' : sent ? `${Math.round((step.value / sent) * 100)}% of sent` : '—'}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
