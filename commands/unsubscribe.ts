import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { describeSubscription, isNothing, listWords } from '../src/commands/describeSubscription.js';
import { categoriesOption } from '../src/commands/options.js';

export const unsubscribe = defineCommand({
  name: 'unsubscribe',
  description: 'Stop new-draw alerts in this chat: some categories, or all of them',
  options: z.strictObject({ categories: categoriesOption('Categories to stop, e.g. cec (default: every alert)') }),
  examples: ['/unsubscribe cec', '/unsubscribe', '/unsubscribe all'],
  requires: { chat: true, subscriptions: true, permission: 'manage-alerts' },
  run({ categories }, { chat, subscriptions: store }) {
    const unwanted = categories ?? 'all';
    const where = chat.noun;
    const before = store.list(chat.platform, chat.id);
    if (isNothing(before)) {
      return {
        kind: 'answer',
        title: 'Draw alerts: no change',
        lines: [
          `This ${where} gets no draw alerts, so there is nothing to stop.`,
          'Send /subscribe for every new draw, or /subscribe healthcare for one category.',
        ],
      };
    }
    const now = store.unsubscribe(chat.platform, chat.id, unwanted);
    if (unwanted === 'all' || isNothing(now)) {
      return {
        kind: 'answer',
        title: 'Draw alerts off',
        lines: [`This ${where} will get no more draw alerts.`, 'Send /subscribe to get them again.'],
      };
    }
    const notHeld = before === 'all' ? [] : unwanted.filter((slug) => !before.includes(slug));
    return {
      kind: 'answer',
      title: notHeld.length === unwanted.length ? 'Draw alerts: no change' : 'Draw alerts changed',
      lines: [
        ...(notHeld.length ? [`This ${where} did not get ${listWords(notHeld)} alerts.`] : []),
        `This ${where} will get a message for ${describeSubscription(now)}.`,
        'Send /unsubscribe all to stop every alert.',
      ],
    };
  },
});
