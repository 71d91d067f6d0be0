import { defineBlock } from '../defineBlock';
import { startConfigSchema } from './schema';

export const startBlock = defineBlock({
  type: 'start',
  label: 'Start',
  description: 'Begins the flow on a keyword, on any message, or from a broadcast.',
  schema: startConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  // An empty keyword list: the designer has to choose the words before publishing.
  defaults: { trigger: { type: 'keyword', keywords: [] } },
});
