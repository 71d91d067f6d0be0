import type { Database } from '@couponflow/db';
import { compiledFlow } from '../flows/compiledFlow';
import { activeRun } from './activeRun';
import { publishedFlows } from './findTrigger';

/**
 * Whether a message from this contact may run a block that reads their display name: the flow of
 * their active run, or any published flow of the organisation (a message may start any of them),
 * names `contact.name`. Read outside the step's transaction, as a hint for asking the platform's
 * profile API first: a flow published a moment after it is read sees the name from the contact's
 * next message on.
 */
export async function needsContactName(db: Database, orgId: string, inboxId: string, customerId: string): Promise<boolean> {
  for (const { id, version } of await publishedFlows(db, orgId)) {
    if ((await compiledFlow(db, id, version)).usesContactName) return true;
  }
  const active = await activeRun(db, orgId, inboxId, customerId);
  return active ? (await compiledFlow(db, active.flowId, active.version)).usesContactName : false;
}
