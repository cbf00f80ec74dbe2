import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { describeSubscription, typedFirst } from '../src/commands/describeSubscription.js';
import { alertTopicsOption } from '../src/commands/options.js';

export const subscribe = defineCommand({
  name: 'subscribe',
  description: 'Get a message in this chat for each new draw (or some categories), or pool update (pool)',
  options: z.strictObject({
    categories: alertTopicsOption('Categories to follow, e.g. healthcare cec, or pool (default: every draw)'),
  }),
  examples: ['/subscribe healthcare', '/subscribe', '/subscribe healthcare cec', '/subscribe pool'],
  requires: { chat: true, subscriptions: true, permission: 'manage-alerts', posting: true },
  async run({ categories: topics }, { chat, subscriptions: store }) {
    const where = chat.noun;
    const owner = chat.isPrivate ? chat.userId : undefined;
    const poolLine = `This ${where} will get a message when IRCC publishes a new distribution of the pool.`;
    if (topics?.pool) await store.subscribePool(chat.platform, chat.id, chat.threadId, owner);
    if (topics?.pool && topics.categories === undefined) {
      // Pool alerts alone: the chat's draw alerts stay as they are.
      return { kind: 'answer', title: 'Pool alerts on', lines: [poolLine, 'Send /unsubscribe pool to stop them.'] };
    }
    const wanted = topics?.categories ?? 'all';
    const before = await store.list(chat.platform, chat.id);
    const now = await store.subscribe(chat.platform, chat.id, wanted, chat.threadId, owner);
    const also = topics?.pool ? [poolLine] : [];
    if (before === 'all' && wanted !== 'all') {
      return {
        kind: 'answer',
        title: 'Draw alerts: no change',
        lines: [
          `This ${where} already gets a message for every new Express Entry draw, ${wanted.join(' and ')} included.`,
          `To get only some categories, send /unsubscribe all, then /subscribe ${wanted.join(' ')}.`,
          ...also,
        ],
      };
    }
    return {
      kind: 'answer',
      title: 'Draw alerts on',
      lines: [
        `This ${where} will get a message for ${describeSubscription(typedFirst(now, wanted))}.`,
        ...also,
        'Send /subscriptions to see them, /unsubscribe to stop them.',
      ],
    };
  },
});
