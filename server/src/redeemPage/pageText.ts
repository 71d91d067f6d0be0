/** The page's fixed wording (the admin-set wordings come from the coupon's redeem page settings). */
export const pageText = {
  readyHint: 'Your code appears once you redeem. Redeem when you are ready to use it.',
  redeemFallbackLabel: 'Redeem',
  redeemFailed: 'Could not reach the server. Please try again.',
  redeemedBadge: 'Redeemed',
  staffReference: 'Staff reference:',
  copied: 'Copied!',
  validUntil: 'Valid until',
  availableFrom: 'Available from',
  notStarted: 'This coupon is not available yet.',
  verified: 'This coupon has been used.',
  usedOn: 'Used on',
  terms: 'Terms & conditions',
  preview: 'Preview',
  notFoundTitle: 'Link not found',
  notFound: 'This coupon link does not exist or is no longer valid. Please check the link you received.',
} as const;
