import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';

export const forget = defineCommand({
  name: 'forget',
  description: 'Delete everything the bot stores about you (your /profile), at once',
  options: z.strictObject({}),
  examples: ['/forget'],
  requires: { profiles: true },
  async run(_input, { chat, profiles, forget }) {
    // A one-to-one chat is the user's own: its alerts, and every alert on the way to it, are something
    // stored about them too, and so are those of every private chat they subscribed from.
    const privateChats = chat.isPrivate ? [chat.id] : [];
    const forgotten = forget
      ? await forget(chat.platform, chat.userId, privateChats)
      : { profile: await profiles.forget(chat.platform, chat.userId), chats: 0 };
    const deleted: string[] = [];
    if (forgotten.profile) deleted.push('your profile (score, lanes, submission time, time zone)');
    if (forgotten.chats > 0)
      deleted.push(chat.isPrivate && forgotten.chats === 1 ? "this chat's alerts" : 'the alerts of your private chats');
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
