import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { describeSubscription, isNothing, listWords } from '../src/commands/describeSubscription.js';
import { alertTopicsOption } from '../src/commands/options.js';

export const unsubscribe = defineCommand({
  name: 'unsubscribe',
  description: 'Stop alerts in this chat: some categories, pool updates (pool), or all of them',
  options: z.strictObject({ categories: alertTopicsOption('Categories to stop, e.g. cec, or pool (default: every alert)') }),
  examples: ['/unsubscribe cec', '/unsubscribe', '/unsubscribe all', '/unsubscribe pool'],
  requires: { chat: true, subscriptions: true, permission: 'manage-alerts' },
  async run({ categories: topics }, { chat, subscriptions: store }) {
    const where = chat.noun;
    if (topics?.pool) {
      const had = await store.unsubscribePool(chat.platform, chat.id);
      if (topics.categories === undefined) {
        return had
          ? { kind: 'answer', title: 'Pool alerts off', lines: [`This ${where} will get no more pool alerts; its draw alerts stay.`] }
          : { kind: 'answer', title: 'Pool alerts: no change', lines: [`This ${where} gets no pool alerts, so there is nothing to stop.`] };
      }
    }
    const unwanted = topics?.categories ?? 'all';
    const before = await store.list(chat.platform, chat.id);
    if (isNothing(before) && !(unwanted === 'all' && (await store.hasPool(chat.platform, chat.id)))) {
      return {
        kind: 'answer',
        title: 'Draw alerts: no change',
        lines: [
          `This ${where} gets no draw alerts, so there is nothing to stop.`,
          'Send /subscribe for every new draw, or /subscribe healthcare for one category.',
        ],
      };
    }
    const now = await store.unsubscribe(chat.platform, chat.id, unwanted);
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
