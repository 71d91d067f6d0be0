import { Counter, Field } from '../../ui/Field';
import { fromLocalInput, toLocalInput } from '../../ui/format';
import type { CouponDraft } from './couponDraft';

interface Props {
  draft: CouponDraft;
  onChange(next: CouponDraft): void;
  errors: Record<string, string>;
  existing: boolean;
}

const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

/** The campaign's own settings (SPEC §2.1), in three cards. */
export function CouponFields({ draft, onChange, errors, existing }: Props) {
  const set = <K extends keyof CouponDraft>(key: K, value: CouponDraft[K]) => onChange({ ...draft, [key]: value });
  const err = (path: string) => errors[path];
  const invalid = (path: string) => (errors[path] ? ' invalid' : '');
  const { code } = draft;

  return (
    <>
      <section className="card">
        <div className="card-head"><div><h2>Campaign</h2><p>What staff and reports call it, and when customers can use it.</p></div></div>
        <div className="card-body stack">
          <Field label="Name" htmlFor="coupon-name" error={err('name')} aside={<Counter value={draft.name} max={100} />}>
            <input id="coupon-name" className={`input${invalid('name')}`} value={draft.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. Welcome 10% off" />
          </Field>
          <div className="grid-2">
            <Field label="Starts" htmlFor="starts-at" error={err('activePeriod.startsAt')}>
              <input id="starts-at" type="datetime-local" className={`input${invalid('activePeriod.startsAt')}`} value={toLocalInput(draft.activePeriod.startsAt)} onChange={(e) => set('activePeriod', { ...draft.activePeriod, startsAt: fromLocalInput(e.target.value) ?? '' })} />
            </Field>
            <Field label="Ends" htmlFor="ends-at" error={err('activePeriod.endsAt')} hint="Leave empty to never end">
              <input id="ends-at" type="datetime-local" className={`input${invalid('activePeriod.endsAt')}`} value={toLocalInput(draft.activePeriod.endsAt)} onChange={(e) => set('activePeriod', { ...draft.activePeriod, endsAt: fromLocalInput(e.target.value) })} />
            </Field>
          </div>
          <label className="check"><input type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} /> Active — an inactive coupon is neither offered nor redeemed</label>
        </div>
      </section>

      <section className="card">
        <div className="card-head"><div><h2>Code</h2><p>{existing ? 'The code type is fixed once the coupon exists.' : 'One code for everyone, or a unique code per customer from a pool.'}</p></div></div>
        <div className="card-body stack">
          <div className="segmented" role="radiogroup" aria-label="Code type">
            <button type="button" disabled={existing} className={code.type === 'common' ? 'on' : ''} onClick={() => set('code', { type: 'common' })}>Common code</button>
            <button type="button" disabled={existing} className={code.type === 'unique' ? 'on' : ''} onClick={() => set('code', { type: 'unique', length: 10, charset: 'alphanumeric' })}>Unique codes</button>
          </div>
          {code.type === 'common' ? (
            <Field label="Code" htmlFor="code-value" error={err('code.value')} hint={existing ? undefined : 'Leave empty to generate one'}>
              <input id="code-value" className={`input mono${invalid('code.value')}`} disabled={existing} value={code.value ?? ''} onChange={(e) => set('code', { type: 'common', ...(e.target.value ? { value: e.target.value } : {}) })} placeholder="WELCOME10" />
            </Field>
          ) : (
            <div className="grid-3">
              <Field label="Length" htmlFor="code-length" error={err('code.length')}>
                <input id="code-length" type="number" min={6} max={32} disabled={existing} className={`input${invalid('code.length')}`} value={code.length} onChange={(e) => set('code', { ...code, length: Number(e.target.value) })} />
              </Field>
              <Field label="Characters" htmlFor="code-charset">
                <select id="code-charset" className="select" disabled={existing} value={code.charset} onChange={(e) => set('code', { ...code, charset: e.target.value as typeof code.charset })}>
                  <option value="alphanumeric">Letters and digits (no 0/O/1/I)</option>
                  <option value="numeric">Digits</option>
                  <option value="letters">Letters</option>
                </select>
              </Field>
              <Field label="Prefix" htmlFor="code-prefix" error={err('code.prefix')}>
                <input id="code-prefix" className={`input mono${invalid('code.prefix')}`} disabled={existing} value={code.prefix ?? ''} onChange={(e) => set('code', { ...code, prefix: e.target.value || undefined } as typeof code)} placeholder="optional" />
              </Field>
            </div>
          )}
        </div>
      </section>

      <section className="card">
        <div className="card-head"><div><h2>Limits &amp; validity</h2><p>Redemptions are counted when a customer presses Redeem.</p></div></div>
        <div className="card-body stack">
          <div className="grid-2">
            <Field label="Total redemptions" htmlFor="total-limit" error={err('totalLimit')} hint="Empty: no limit">
              <input id="total-limit" type="number" min={1} className={`input${invalid('totalLimit')}`} value={draft.totalLimit ?? ''} onChange={(e) => set('totalLimit', numberOrNull(e.target.value))} />
            </Field>
            <Field label="Per customer" htmlFor="customer-limit" error={err('perCustomerLimit')} hint="Empty: no limit">
              <input id="customer-limit" type="number" min={1} className={`input${invalid('perCustomerLimit')}`} value={draft.perCustomerLimit ?? ''} onChange={(e) => set('perCustomerLimit', numberOrNull(e.target.value))} />
            </Field>
          </div>
          <div className="grid-2">
            <Field label="A redeemed code stays usable" htmlFor="usage-expiry">
              <select id="usage-expiry" className="select" value={draft.usageExpiry.type} onChange={(e) => {
                const type = e.target.value as CouponDraft['usageExpiry']['type'];
                set('usageExpiry', type === 'active_period' ? { type } : { type, days: 'days' in draft.usageExpiry ? draft.usageExpiry.days : 7 });
              }}>
                <option value="active_period">Until the coupon ends</option>
                <option value="days_after_sent">Some days after it was sent</option>
                <option value="days_after_redeemed">Some days after it was redeemed</option>
              </select>
            </Field>
            {draft.usageExpiry.type !== 'active_period' && (
              <Field label="Days" htmlFor="usage-days" error={err('usageExpiry.days')} hint="Never later than the coupon’s end">
                <input id="usage-days" type="number" min={1} className={`input${invalid('usageExpiry.days')}`} value={draft.usageExpiry.days} onChange={(e) => set('usageExpiry', { type: (draft.usageExpiry as { type: 'days_after_sent' }).type, days: Number(e.target.value) })} />
              </Field>
            )}
          </div>
          <div className="grid-3">
            {(['onSent', 'onOpened', 'onRedeemed'] as const).map((step) => (
              <Field key={step} label={`Tag contact when ${step.slice(2).toLowerCase()}`} htmlFor={`tag-${step}`} error={err(`contactTags.${step}`)}>
                <input id={`tag-${step}`} className="input" value={draft.contactTags[step] ?? ''} placeholder="optional" onChange={(e) => set('contactTags', { ...draft.contactTags, [step]: e.target.value || undefined })} />
              </Field>
            ))}
          </div>
        </div>
      </section>
    </>
  );
}
