import { defineBlock } from '../defineBlock';
import { sendMessageConfigSchema } from './schema';

export const sendMessageBlock = defineBlock({
  type: 'send_message',
  label: 'Send Message',
  description: 'Sends text, optionally with an image and up to three link buttons.',
  schema: sendMessageConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  defaults: { text: '' },
});
