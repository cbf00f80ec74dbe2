/**
 * Where a command was typed, for commands that act on the chat itself (alerts). Each platform builds
 * it from its own update and describes itself here once: its name, what people call the place, who
 * may change its alerts and how the bot says so.
 */
export interface Chat {
  /** The platform's name, which alerts are stored under: 'telegram', 'discord'. */
  platform: string;
  /** Telegram's chat id as text; Discord's channel id. */
  id: string;
  /**
   * The topic of a forum chat the command was sent in (Telegram's message_thread_id), where the
   * chat's alerts then go; undefined outside topics (and in a forum's General topic).
   */
  threadId?: string;
  /** A one-to-one chat with the bot. */
  isPrivate: boolean;
  /**
   * Who sent the command (Telegram's from.id, Discord's user id): whose profile it is. Absent when
   * the platform does not say (an admin posting anonymously as the group).
   */
  userId?: string;
  /**
   * A Reply marked private reaches the asker alone here even though others share the place (Discord's
   * ephemeral replies). Telegram has no such thing: there only a private chat is private.
   */
  privateReplies?: boolean;
  /** What people call this place on the platform: "chat", "channel". */
  noun: string;
  /**
   * Whether the asker may change the chat's settings (a group admin, a member with Manage
   * Channels; anyone in a private chat). A function: it may cost an API call, made only when asked.
   */
  canManage: () => Promise<boolean>;
  /** The refusal for someone who may not change them, naming who may and the command to ask for. */
  notManager: (command: string) => string;
  /**
   * Why the bot could not post alerts here (Discord tells its permissions in the channel with each
   * interaction); undefined when it can. An alert it cannot post would only end the subscription.
   */
  cannotPost?: () => string | undefined;
  /**
   * A link that opens a private chat with the bot and sends it `/start <start>` (Telegram's deep
   * links, t.me/<bot>?start=crs): where a shared chat would see personal details, a command points
   * there instead. Undefined where the platform has none (Discord answers privately in place).
   */
  privateLink?: (start: string) => string;
}
