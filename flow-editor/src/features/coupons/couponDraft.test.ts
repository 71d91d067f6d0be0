import { describe, expect, it } from 'vitest';
import { newDraft, validateDraft } from './couponDraft';

describe('coupon form validation as you type', () => {
  it('a fresh draft only lacks its name', () => {
    expect(validateDraft(newDraft())).toEqual({ name: 'Give the coupon a name' });
  });

  it('names the field at fault with the SPEC §2.1 rule', () => {
    const draft = { ...newDraft(), name: 'Latte', code: { type: 'common' as const, value: 'AB' }, totalLimit: 0 };
    draft.redeemPage = { ...draft.redeemPage, campaignImageUrl: 'http://insecure.example/a.png', buttonColor: 'blue' };
    expect(validateDraft(draft)).toEqual({
      'code.value': '4–32 characters: letters, digits and @ # . _ -',
      totalLimit: 'A whole number from 1 to 1,000,000, or empty for no limit',
      'redeemPage.campaignImageUrl': 'Must be an https URL',
      'redeemPage.buttonColor': 'A colour like #1f6feb',
    });
  });

  it('an existing coupon’s end can be extended, never brought forward', () => {
    const original = { ...newDraft(), name: 'Latte', activePeriod: { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-06-01T00:00:00.000Z' } };
    const earlier = { ...original, activePeriod: { ...original.activePeriod, endsAt: '2026-05-01T00:00:00.000Z' } };
    const later = { ...original, activePeriod: { ...original.activePeriod, endsAt: '2026-07-01T00:00:00.000Z' } };
    expect(validateDraft(earlier, original)['activePeriod.endsAt']).toMatch(/extended, not brought forward/);
    expect(validateDraft(later, original)).toEqual({});
    expect(validateDraft({ ...original, activePeriod: { ...original.activePeriod, endsAt: null } }, original)).toEqual({});
  });
});
