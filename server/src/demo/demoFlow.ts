/** What the bot says after the offer, one message per Distribute Coupon port (SPEC §3.3). */
export const demoReplies = {
  redeemed: 'Enjoy! Your code is {{coupon.code}}. Show it at the counter.',
  coupon_expired: 'Sorry, this coupon has expired.',
  customer_max_uses_reached: 'You have already used your welcome coupon. See you soon!',
  coupon_max_uses_reached: 'Sorry, all welcome coupons have been claimed.',
  error: 'Something went wrong on our side. Please try again in a minute.',
} as const;

export const demoKeyword = 'coupon';

/** The demo flow: keyword "coupon" → Distribute Coupon → a Send Message on every port. */
export function demoFlow(couponId: string) {
  const ports = Object.keys(demoReplies) as Array<keyof typeof demoReplies>;
  return {
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 260 }, data: { trigger: { type: 'keyword', keywords: [demoKeyword] } } },
      {
        id: 'offer',
        type: 'distribute_coupon',
        position: { x: 280, y: 200 },
        data: { couponId, message: 'Welcome to Demo Coffee! Here is 10% off your next coffee.', buttonTitle: 'Get my coupon' },
      },
      ...ports.map((port, i) => ({ id: `reply_${port}`, type: 'send_message', position: { x: 620, y: i * 140 }, data: { text: demoReplies[port] } })),
    ],
    edges: [
      { id: 'start_offer', source: 'start', sourceHandle: 'next', target: 'offer' },
      ...ports.map((port) => ({ id: `offer_${port}`, source: 'offer', sourceHandle: port, target: `reply_${port}` })),
    ],
  };
}
