import { defineBlock } from '../defineBlock';
import { endConfigSchema } from './schema';

export const endBlock = defineBlock({
  type: 'end',
  label: 'End',
  description: 'Ends the run.',
  schema: endConfigSchema,
  ports: [],
  defaults: {},
});
