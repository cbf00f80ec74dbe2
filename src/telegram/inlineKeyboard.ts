import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Reply, ReplyButton } from '../core/reply.js';

/** Menu choices side by side at most: more, and a phone cuts their labels short. */
export const ROW_BUTTONS = 4;
/** Characters of labels a row of menu choices may hold, for the same reason. */
export const ROW_CHARACTERS = 32;
/** Telegram refuses a button whose callback_data is longer, and with it the whole message. */
const CALLBACK_DATA_BYTES = 64;

/**
 * A reply's menu and buttons as Telegram's inline keyboard: the menu's choices first, packed into
 * rows a phone shows whole, then each row of buttons as the command laid it out. Undefined when the
 * reply has neither. Telegram has no select menu: the menu's placeholder goes unshown, the reply's
 * text asks the question.
 */
export function inlineKeyboard(reply: Reply): InlineKeyboardMarkup | undefined {
  const rows = [...menuRows(reply.menu?.choices ?? []), ...(reply.buttons ?? []).map((row) => row.map(inlineButton))].filter(
    (row) => row.length > 0,
  );
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

/** Choices in order, a new row whenever the next would make this one too crowded. */
function menuRows(choices: ReadonlyArray<{ label: string; action: string }>): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  let characters = 0;
  for (const choice of choices) {
    const length = [...choice.label].length;
    if (row.length > 0 && (row.length >= ROW_BUTTONS || characters + length > ROW_CHARACTERS)) {
      rows.push(row);
      row = [];
      characters = 0;
    }
    row.push(inlineButton(choice));
    characters += length;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function inlineButton(button: ReplyButton): InlineKeyboardButton {
  if (button.url !== undefined) return { text: button.label, url: button.url };
  // A command's bug, caught here with its cause rather than as Telegram's "BUTTON_DATA_INVALID".
  if (Buffer.byteLength(button.action, 'utf8') > CALLBACK_DATA_BYTES)
    throw new Error(`a button's action is longer than ${CALLBACK_DATA_BYTES} bytes`);
  return { text: button.label, callback_data: button.action };
}
