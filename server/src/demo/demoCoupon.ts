/** The demo's coupon: one common code, open-ended, once per customer, shown as a QR code on a branded page. */
export const demoCode = 'WELCOME10';

export function demoCoupon(now = new Date()) {
  return {
    name: 'Welcome 10% off',
    code: { type: 'common', value: demoCode },
    // Started yesterday, so a clock a little behind the server's still finds it active.
    activePeriod: { startsAt: new Date(now.getTime() - 86_400_000).toISOString(), endsAt: null },
    perCustomerLimit: 1,
    redeemPage: {
      codeDisplay: 'qrcode',
      title: '10% off your next coffee',
      redeemButton: { mode: 'click', label: 'Redeem now' },
      copyButton: { enabled: true, label: 'Copy code' },
      backgroundColor: '#f6efe6',
      buttonColor: '#6f4e37',
      buttonTextColor: '#ffffff',
      terms:
        'One per customer. Valid on any hot or iced drink at Demo Coffee.\n' +
        'Show the QR code at the counter before you pay. Cannot be combined with other offers.',
      wordings: {
        redeemed: 'Show this QR code at the counter.',
        expired: 'Sorry, this coupon has expired.',
        unavailable: 'This coupon is not available.',
        limitReached: 'All welcome coupons have been claimed.',
      },
    },
  };
}
