import type { ConditionConfig, ConditionRule } from '@couponflow/nodes';
import { Field } from '../../../ui/Field';
import type { PanelProps } from './NodePanel';

export function ConditionPanel({ data, errors, onChange }: PanelProps<Partial<ConditionConfig>>) {
  const rules = data.rules ?? [];
  const setRules = (next: ConditionRule[]) => onChange({ ...data, match: data.match ?? 'all', rules: next });
  const setRule = (i: number, rule: ConditionRule) => setRules(rules.map((r, j) => (j === i ? rule : r)));
  return (
    <>
      <Field label="Continue by “True” when" htmlFor="match">
        <select id="match" className="select" value={data.match ?? 'all'} onChange={(e) => onChange({ ...data, rules, match: e.target.value })}>
          <option value="all">All rules hold</option>
          <option value="any">Any rule holds</option>
        </select>
      </Field>
      {rules.map((rule, i) => (
        <div key={i} className="stack tight" style={{ padding: 10, border: '1px solid var(--border)', borderRadius: 8 }}>
          <div className="grid-2">
            <select className="select" aria-label="Rule kind" value={rule.kind} onChange={(e) => setRule(i, e.target.value === 'tag' ? { kind: 'tag', name: rule.name, op: 'has' } : { kind: 'variable', name: rule.name, op: 'exists' })}>
              <option value="tag">Contact tag</option>
              <option value="variable">Variable</option>
            </select>
            <input className={`input${errors[`rules.${i}.name`] ? ' invalid' : ''}`} aria-label="Name" placeholder={rule.kind === 'tag' ? 'tag' : 'answer, coupon.reason, contact.name…'} value={rule.name} onChange={(e) => setRule(i, { ...rule, name: e.target.value })} />
          </div>
          {rule.kind === 'tag' && (
            <select className="select" aria-label="Test" value={rule.op} onChange={(e) => setRule(i, { ...rule, op: e.target.value as 'has' | 'has_not' })}>
              <option value="has">the contact has it</option>
              <option value="has_not">the contact does not have it</option>
            </select>
          )}
          {rule.kind === 'variable' && (
            <div className="grid-2">
              <select className="select" aria-label="Test" value={rule.op === 'has' ? 'exists' : rule.op} onChange={(e) => {
                const op = e.target.value as 'exists' | 'equals' | 'contains';
                setRule(i, op === 'exists' ? { kind: 'variable', name: rule.name, op } : { kind: 'variable', name: rule.name, op, value: rule.value ?? '' });
              }}>
                <option value="exists">is set</option>
                <option value="equals">equals</option>
                <option value="contains">contains</option>
              </select>
              {(rule.op === 'equals' || rule.op === 'contains') && <input className="input" aria-label="Value" value={rule.value ?? ''} onChange={(e) => setRule(i, { ...rule, value: e.target.value })} />}
            </div>
          )}
          {Object.entries(errors).filter(([k]) => k.startsWith(`rules.${i}.`)).map(([k, m]) => <span key={k} className="error-text">{m}</span>)}
          <button type="button" className="btn small ghost" onClick={() => setRules(rules.filter((_, j) => j !== i))}>Remove rule</button>
        </div>
      ))}
      {errors.rules && <span className="error-text">{errors.rules}</span>}
      <button type="button" className="btn small" onClick={() => setRules([...rules, { kind: 'tag', name: '', op: 'has' }])}>Add a rule</button>
    </>
  );
}
