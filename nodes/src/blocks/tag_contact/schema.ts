import { z } from 'zod';
import { distinctIgnoringCase, tagName } from '../configFields';

const tagList = z.array(tagName).max(20).superRefine(distinctIgnoringCase('tag'));

export const tagContactConfigSchema = z
  .strictObject({ add: tagList.default([]), remove: tagList.default([]) })
  .superRefine((config, ctx) => {
    if (config.add.length + config.remove.length === 0)
      ctx.addIssue({ code: 'custom', path: ['add'], message: 'add or remove at least one tag' });
    // Adding and removing the same tag at once has no meaningful order.
    const added = new Set(config.add.map((t) => t.toLowerCase()));
    config.remove.forEach((t, i) => {
      if (added.has(t.toLowerCase()))
        ctx.addIssue({ code: 'custom', path: ['remove', i], message: `tag "${t}" is both added and removed` });
    });
  });

export type TagContactConfig = z.output<typeof tagContactConfigSchema>;
