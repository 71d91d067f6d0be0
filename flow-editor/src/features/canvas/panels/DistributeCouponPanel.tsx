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
      <ReminderFields data={data} errors={errors} onChange={onChange} />
    </>
  );
}

/** Optional expiry reminder: sent once, N hours before an unredeemed offer expires. */
function ReminderFields({ data, errors, onChange }: PanelProps<Partial<DistributeCouponConfig>>) {
  const reminder = data.reminder;
  const setReminder = (next: DistributeCouponConfig['reminder']) => {
    const { reminder: _, ...rest } = data;
    onChange(next ? { ...rest, reminder: next } : rest);
  };
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={reminder !== undefined} onChange={(e) => setReminder(e.target.checked ? { hoursBefore: 24, message: '' } : undefined)} />
        Remind before the offer expires
      </label>
      {reminder && (
        <>
          <Field label="Hours before expiry" htmlFor="reminder-hours" error={errors['reminder.hoursBefore']} hint="Decimals allowed: 0.5 is 30 minutes">
            <input id="reminder-hours" type="number" min={0} step="any" className={`input${errors['reminder.hoursBefore'] ? ' invalid' : ''}`} value={reminder.hoursBefore} onChange={(e) => setReminder({ ...reminder, hoursBefore: Number(e.target.value) })} />
          </Field>
          <Field label="Reminder message" htmlFor="reminder-message" error={errors['reminder.message']} aside={<Counter value={reminder.message} max={2000} />} hint="Sent once with the redeem button, only while the offer is unredeemed">
            <textarea id="reminder-message" className={`textarea${errors['reminder.message'] ? ' invalid' : ''}`} value={reminder.message} onChange={(e) => setReminder({ ...reminder, message: e.target.value })} />
          </Field>
        </>
      )}
    </>
  );
}
