import { Field } from '../../ui/Field';
import type { CouponDraft, RedeemPage } from './couponDraft';
import { PhonePreview, type PreviewState } from './PhonePreview';
import { useState } from 'react';

interface Props {
  draft: CouponDraft;
  onChange(next: CouponDraft): void;
  errors: Record<string, string>;
}

const previewStates: { id: PreviewState; label: string }[] = [
  { id: 'ready', label: 'Before redeeming' },
  { id: 'redeemed', label: 'Redeemed' },
  { id: 'verified', label: 'Verified' },
  { id: 'expired', label: 'Expired' },
  { id: 'not_started', label: 'Not started' },
  { id: 'limit_reached', label: 'Limit reached' },
  { id: 'revoked', label: 'Revoked' },
];

/** Every redeem page setting of SPEC §2.5 beside a live phone preview rendered by the server. */
export function RedeemPageDesigner({ draft, onChange, errors }: Props) {
  const page = draft.redeemPage;
  const [state, setState] = useState<PreviewState>('ready');
  const set = <K extends keyof RedeemPage>(key: K, value: RedeemPage[K]) => onChange({ ...draft, redeemPage: { ...page, [key]: value } });
  const err = (key: string) => errors[`redeemPage.${key}`];
  const inv = (key: string) => (err(key) ? ' invalid' : '');
  const nullable = (value: string) => (value.trim() === '' ? null : value);

  return (
    <section className="card" aria-label="Redeem page designer">
      <div className="card-head"><div><h2>Redeem page</h2><p>What customers see when they open their coupon link.</p></div></div>
      <div className="card-body designer">
        <div className="stack">
          <div className="grid-2">
            <Field label="Show the code as" htmlFor="code-display" error={err('codeDisplay')}>
              <select id="code-display" className={`select${inv('codeDisplay')}`} value={page.codeDisplay} onChange={(e) => set('codeDisplay', e.target.value as RedeemPage['codeDisplay'])}>
                <option value="text">Text</option>
                <option value="qrcode">QR code</option>
                <option value="code128">Barcode (Code 128)</option>
                <option value="code39">Barcode (Code 39)</option>
                <option value="ean13">Barcode (EAN-13)</option>
              </select>
            </Field>
            <Field label="Title" htmlFor="page-title" hint="Defaults to the coupon name">
              <input id="page-title" className="input" value={page.title ?? ''} onChange={(e) => set('title', nullable(e.target.value))} />
            </Field>
          </div>
          <div className="grid-2">
            <Field label="Redeeming" htmlFor="redeem-mode">
              <select id="redeem-mode" className="select" value={page.redeemButton.mode} onChange={(e) => set('redeemButton', e.target.value === 'on_open' ? { mode: 'on_open' } : { mode: 'click', label: 'Redeem' })}>
                <option value="click">Customer presses a button</option>
                <option value="on_open">As soon as the page opens</option>
              </select>
            </Field>
            {page.redeemButton.mode === 'click' && (
              <Field label="Redeem button" htmlFor="redeem-label" error={err('redeemButton.label')}>
                <input id="redeem-label" className={`input${inv('redeemButton.label')}`} value={page.redeemButton.label} onChange={(e) => set('redeemButton', { mode: 'click', label: e.target.value })} />
              </Field>
            )}
          </div>
          <div className="grid-2">
            <Field label="Copy button" htmlFor="copy-label">
              <div className="row">
                <input type="checkbox" aria-label="Show a copy button" checked={page.copyButton.enabled} onChange={(e) => set('copyButton', { ...page.copyButton, enabled: e.target.checked })} />
                <input id="copy-label" className="input" disabled={!page.copyButton.enabled} value={page.copyButton.label} onChange={(e) => set('copyButton', { ...page.copyButton, label: e.target.value })} />
              </div>
            </Field>
            <Field label="Button after redeeming" htmlFor="use-label" error={err('useButton.label')} hint="e.g. “Shop online”">
              <div className="row">
                <input type="checkbox" aria-label="Show a button after redeeming" checked={page.useButton !== null} onChange={(e) => set('useButton', e.target.checked ? { label: 'Shop online', url: 'https://' } : null)} />
                <input id="use-label" className={`input${inv('useButton.label')}`} disabled={!page.useButton} value={page.useButton?.label ?? ''} onChange={(e) => set('useButton', { url: page.useButton?.url ?? '', label: e.target.value })} />
              </div>
            </Field>
          </div>
          {page.useButton && (
            <Field label="Its link" htmlFor="use-url" error={err('useButton.url')}>
              <input id="use-url" className={`input${inv('useButton.url')}`} value={page.useButton.url} onChange={(e) => set('useButton', { label: page.useButton?.label ?? '', url: e.target.value })} />
            </Field>
          )}
          <div className="grid-3">
            {(
              [
                ['backgroundColor', 'Background'],
                ['buttonColor', 'Button'],
                ['buttonTextColor', 'Button text'],
              ] as const
            ).map(([key, label]) => (
              <Field key={key} label={label} htmlFor={`color-${key}`} error={err(key)}>
                <div className="row">
                  <input type="color" className="input" aria-label={`${label} colour picker`} value={/^#[0-9a-f]{6}$/i.test(page[key]) ? page[key] : '#000000'} onChange={(e) => set(key, e.target.value)} />
                  <input id={`color-${key}`} className={`input mono${inv(key)}`} value={page[key]} onChange={(e) => set(key, e.target.value)} />
                </div>
              </Field>
            ))}
          </div>
          <div className="grid-2">
            <Field label="Brand icon URL" htmlFor="brand-icon" error={err('brandIconUrl')}>
              <input id="brand-icon" className={`input${inv('brandIconUrl')}`} value={page.brandIconUrl ?? ''} placeholder="https://…" onChange={(e) => set('brandIconUrl', nullable(e.target.value))} />
            </Field>
            <Field label="Campaign image URL" htmlFor="campaign-image" error={err('campaignImageUrl')}>
              <input id="campaign-image" className={`input${inv('campaignImageUrl')}`} value={page.campaignImageUrl ?? ''} placeholder="https://…" onChange={(e) => set('campaignImageUrl', nullable(e.target.value))} />
            </Field>
          </div>
          <Field label="Terms" htmlFor="terms" hint="Plain text or markdown">
            <textarea id="terms" className="textarea" value={page.terms} onChange={(e) => set('terms', e.target.value)} />
          </Field>
          <div className="grid-2">
            {(
              [
                ['redeemed', 'After redeeming'],
                ['expired', 'Expired'],
                ['unavailable', 'Unavailable'],
                ['limitReached', 'Limit reached'],
              ] as const
            ).map(([key, label]) => (
              <Field key={key} label={`Wording: ${label}`} htmlFor={`wording-${key}`}>
                <input id={`wording-${key}`} className="input" value={page.wordings[key]} onChange={(e) => set('wordings', { ...page.wordings, [key]: e.target.value })} />
              </Field>
            ))}
          </div>
        </div>
        <div className="stack tight">
          <select className="select" aria-label="Preview state" value={state} onChange={(e) => setState(e.target.value as PreviewState)}>
            {previewStates.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
          <PhonePreview redeemPage={page} title={page.title ?? draft.name} state={state} />
        </div>
      </div>
    </section>
  );
}
