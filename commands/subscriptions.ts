import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { describeSubscription, isNothing } from '../src/commands/describeSubscription.js';
import { formatDate } from '../src/core/format.js';
import { ottawaDate } from '../src/domain/ottawa.js';

export const subscriptions = defineCommand({
  name: 'subscriptions',
  description: 'Which new-draw alerts this chat gets',
  options: z.strictObject({}),
  examples: ['/subscriptions'],
  requires: { chat: true, subscriptions: true },
  async run(_input, { chat, subscriptions: store }) {
    const where = chat.noun;
    const current = await store.list(chat.platform, chat.id);
    const pool = (await store.hasPool(chat.platform, chat.id))
      ? [`It also gets a message for each new pool distribution (/unsubscribe pool stops them).`]
      : [];
    if (isNothing(current)) {
      return {
        kind: 'answer',
        title: pool.length ? 'Draw alerts: none; pool alerts on' : 'Draw alerts: none',
        lines: [
          `This ${where} gets no draw alerts.`,
          ...pool,
          'Send /subscribe for every new draw, or /subscribe healthcare cec for some categories.',
        ],
      };
    }
    const pause = await store.paused(chat.platform, chat.id);
    if (pause) {
      const since = formatDate(ottawaDate(new Date(pause.at).toISOString()));
      const todo = pause.fix ? `${pause.fix}, then send /subscribe again` : 'Once that is fixed, send /subscribe again';
      return {
        kind: 'answer',
        title: 'Draw alerts paused',
        lines: [
          `Alerts here are paused since ${since}: ${pause.reason}. ${todo}.`,
          `Once resumed, this ${where} gets a message for ${describeSubscription(current)}.`,
        ],
      };
    }
    return {
      kind: 'answer',
      title: 'Draw alerts on',
      lines: [
        `This ${where} gets a message for ${describeSubscription(current)}.`,
        ...pool,
        current === 'all'
          ? 'Send /unsubscribe to stop them.'
          : 'Send /subscribe french to add a category, /unsubscribe cec to remove one, /unsubscribe all to stop them.',
      ],
    };
  },
});
