import type { Demo } from './createDemo';
import { demoOrgName } from './createDemo';
import { demoCode } from './demoCoupon';
import { demoKeyword } from './demoFlow';
import type { DemoRun } from './demoRuns';

export const demoContactId = 'visitor-1';

/** What `npm run demo` prints: the ids, the keys and copy-pasteable steps to try the flow. */
export function demoInstructions(demo: Demo, { publicUrl, earlier }: { publicUrl: string; earlier: DemoRun[] }): string {
  const chat = `${publicUrl}/api/v1/webchat/${demo.inboxId}`;
  const history = `'${chat}/messages?contactId=${demoContactId}'`;
  const say = (text: string) =>
    `curl -s -X POST '${chat}/messages' -H 'Content-Type: application/json' -d '${JSON.stringify({ contactId: demoContactId, text })}'`;
  const lines = [
    `Demo ready: organisation "${demoOrgName}" (${demo.orgId}) on ${publicUrl}`,
    ...(earlier.length > 0
      ? [
          `  (npm run demo ran here before — ${earlier.map((r) => r.orgId).join(', ')}; this run made another "${demoOrgName}",`,
          '   the earlier ones are left as they were)',
        ]
      : []),
    '',
    `  Web chat inbox  ${demo.inboxId}`,
    `  Coupon          ${demo.couponId}  "Welcome 10% off", common code ${demoCode}, one per customer, shown as a QR code`,
    `  Flow            ${demo.flowId}  "Welcome coupon", published as version ${demo.flowVersion}: keyword "${demoKeyword}"`,
    `  Owner key       ${demo.ownerKey}`,
    `  Staff key       ${demo.staffKey}`,
    '',
    `Open the web app at ${publicUrl}/ and sign in with the owner key: the flow is on the canvas at`,
    `${publicUrl}/flows/${demo.flowId} (its Test button chats with it); staff verify codes at ${publicUrl}/verify.`,
    '',
    'Or try it with curl playing the website visitor:',
    '',
    `  1. Say "${demoKeyword}" in the web chat:`,
    `     ${say(demoKeyword)}`,
    '',
    '  2. Read the bot’s answer: the offer, with a button to the redeem page:',
    `     curl -s ${history}`,
    `     (or follow the chat live: curl -N '${chat}/stream?contactId=${demoContactId}')`,
    '',
    `  3. Open the button’s url (${publicUrl}/r/…) in a browser and press "Redeem now": the page shows the QR code,`,
    `     and the bot follows up with "Enjoy! Your code is ${demoCode}…" — run step 2 again to see it.`,
    '',
    `  4. Say "${demoKeyword}" once more: the coupon is one per customer, so the bot answers by another port.`,
    '',
    `  Staff page     ${publicUrl}/staff  (sign in with the staff key; a common code is verified by its`,
    `                 redemption id rdm_…, listed by: curl -s '${publicUrl}/api/v1/coupons/${demo.couponId}/redemptions?status=redeemed' -H 'Authorization: Bearer ${demo.ownerKey}')`,
    `  Queues         ${publicUrl}/admin/queues  (instance admin only: any user name, the instance admin key as the password)`,
    `  API            ${publicUrl}/api/v1/openapi.json  (Authorization: Bearer <owner key>)`,
  ];
  return lines.join('\n');
}
