import type { BlockExecutor } from './executorTypes';

export const startExecutor: BlockExecutor<'start'> = {
  execute: () => ({ kind: 'continue', port: 'next' }),
};

export const endExecutor: BlockExecutor<'end'> = {
  execute: () => ({ kind: 'end' }),
};

export const sendMessageExecutor: BlockExecutor<'send_message'> = {
  execute: async ({ node, services, render }) => {
    const { text, imageUrl, buttons = [] } = node.data;
    const titles = await Promise.all(buttons.map((b) => render(b.title)));
    await services.send({
      type: 'text',
      text: await render(text),
      ...(imageUrl ? { imageUrl } : {}),
      buttons: buttons.map((b, i) => ({ title: titles[i]!, url: b.url })),
    });
    return { kind: 'continue', port: 'next' };
  },
};

export const tagContactExecutor: BlockExecutor<'tag_contact'> = {
  execute: async ({ node, services }) => {
    for (const tag of node.data.add ?? []) await services.addTag(tag);
    for (const tag of node.data.remove ?? []) await services.removeTag(tag);
    return { kind: 'continue', port: 'next' };
  },
};

export const waitForReplyExecutor: BlockExecutor<'wait_for_reply'> = {
  execute: ({ node }) => ({
    kind: 'wait',
    waitingFor: 'reply',
    ...(node.data.timeoutSeconds ? { timeoutSeconds: node.data.timeoutSeconds } : {}),
  }),
  resume: ({ node }, event) => {
    if (event.kind === 'reply') return { kind: 'continue', port: 'next', vars: { [node.data.variable]: event.text } };
    if (event.kind === 'timeout') return { kind: 'continue', port: 'timeout' };
    return null;
  },
};
