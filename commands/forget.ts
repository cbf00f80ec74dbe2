import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';

export const forget = defineCommand({
  name: 'forget',
  description: 'Delete everything the bot stores about you (your /profile), at once',
  options: z.strictObject({}),
  examples: ['/forget'],
  requires: { profiles: true },
  run(_input, { chat, profiles, subscriptions }) {
    const deleted: string[] = [];
    if (profiles.forget(chat.platform, chat.userId)) deleted.push('your profile (score, lanes, submission time, time zone)');
    // A one-to-one chat is the user's own: its alerts are something stored about them too.
    const alerts = chat.isPrivate ? subscriptions?.list(chat.platform, chat.id) : undefined;
    const pool = chat.isPrivate && subscriptions?.hasPool(chat.platform, chat.id);
    if (alerts === 'all' || (alerts && alerts.length > 0) || pool) {
      subscriptions!.removeChat(chat.platform, chat.id);
      deleted.push("this chat's alerts");
    }
    return {
      kind: 'answer',
      title: deleted.length ? 'Forgotten' : 'Nothing to forget',
      lines: [
        deleted.length
          ? `Deleted ${deleted.join(' and ')}; nothing else about you is kept.`
          : 'I had nothing stored about you; nothing is kept unless you send /profile.',
      ],
      private: true,
    };
  },
});
