import { defineBlock } from '../defineBlock';
import { waitForReplyConfigSchema } from './schema';

export const waitForReplyBlock = defineBlock({
  type: 'wait_for_reply',
  label: 'Wait for Reply',
  description: 'Waits for the contact’s next message and stores it in a variable.',
  schema: waitForReplyConfigSchema,
  ports: [
    { id: 'next', label: 'Next' },
    { id: 'timeout', label: 'Timeout' },
  ],
  defaults: { variable: 'answer' },
});
