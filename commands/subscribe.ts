import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { describeSubscription, typedFirst } from '../src/commands/describeSubscription.js';
import { categoriesOption } from '../src/commands/options.js';

export const subscribe = defineCommand({
  name: 'subscribe',
  description: 'Get a message in this chat when IRCC publishes a new draw (every draw, or some categories)',
  options: z.strictObject({ categories: categoriesOption('Categories to follow, e.g. healthcare cec (default: every draw)') }),
  examples: ['/subscribe healthcare', '/subscribe', '/subscribe healthcare cec'],
  requires: { chat: true, subscriptions: true, permission: 'manage-alerts', posting: true },
  run({ categories }, { chat, subscriptions: store }) {
    const wanted = categories ?? 'all';
    const before = store.list(chat.platform, chat.id);
    const now = store.subscribe(chat.platform, chat.id, wanted, chat.threadId, chat.isPrivate ? chat.userId : undefined);
    const where = chat.noun;
    if (before === 'all' && wanted !== 'all') {
      return {
        kind: 'answer',
        title: 'Draw alerts: no change',
        lines: [
          `This ${where} already gets a message for every new Express Entry draw, ${wanted.join(' and ')} included.`,
          `To get only some categories, send /unsubscribe all, then /subscribe ${wanted.join(' ')}.`,
        ],
      };
    }
    return {
      kind: 'answer',
      title: 'Draw alerts on',
      lines: [
        `This ${where} will get a message for ${describeSubscription(typedFirst(now, wanted))}.`,
        'Send /subscriptions to see them, /unsubscribe to stop them.',
      ],
    };
  },
});
