import { defineBlock } from '../defineBlock';
import { conditionConfigSchema } from './schema';

export const conditionBlock = defineBlock({
  type: 'condition',
  label: 'Condition',
  description: 'Branches on the contact’s tags and the run’s variables.',
  schema: conditionConfigSchema,
  ports: [
    { id: 'true', label: 'True' },
    { id: 'false', label: 'False' },
  ],
  defaults: { match: 'all', rules: [] },
});
