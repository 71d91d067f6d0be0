import type { DistributeCouponConfig } from '@couponflow/nodes';
import { Counter, Field } from '../../../ui/Field';
import { CouponPicker } from './CouponPicker';
import { ImageUrlField } from './ImageUrlField';
import type { PanelProps } from './NodePanel';

/** Channels cap button titles; Messenger's 20 characters fit everywhere. */
const buttonTitleLimit = 20;

export function DistributeCouponPanel({ data, errors, onChange }: PanelProps<Partial<DistributeCouponConfig>>) {
  return (
    <>
      <Field label="Coupon" error={errors.couponId}>
        <CouponPicker value={data.couponId ?? ''} onChange={(couponId) => onChange({ ...data, couponId })} />
      </Field>
      <Field label="Message" htmlFor="offer-message" error={errors.message} aside={<Counter value={data.message ?? ''} max={2000} />} hint="Shown with the offer, before redemption">
        <textarea id="offer-message" className={`textarea${errors.message ? ' invalid' : ''}`} value={data.message ?? ''} onChange={(e) => onChange({ ...data, message: e.target.value })} />
      </Field>
      <Field label="Button title" htmlFor="button-title" error={errors.buttonTitle} aside={<Counter value={data.buttonTitle ?? ''} max={buttonTitleLimit} />} hint="Opens the customer’s redeem page">
        <input id="button-title" className={`input${errors.buttonTitle ? ' invalid' : ''}`} value={data.buttonTitle ?? ''} onChange={(e) => onChange({ ...data, buttonTitle: e.target.value })} />
      </Field>
      <ImageUrlField value={data.imageUrl} error={errors.imageUrl} onChange={(imageUrl) => {
        const { imageUrl: _, ...rest } = data;
        onChange(imageUrl ? { ...rest, imageUrl } : rest);
      }} />
    </>
  );
}
