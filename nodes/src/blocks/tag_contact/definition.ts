import { defineBlock } from '../defineBlock';
import { tagContactConfigSchema } from './schema';

export const tagContactBlock = defineBlock({
  type: 'tag_contact',
  label: 'Tag Contact',
  description: 'Adds tags to the contact or removes them.',
  schema: tagContactConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  defaults: { add: [], remove: [] },
});
