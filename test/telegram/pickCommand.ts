import { z } from 'zod';
import { defineCommand } from '../../src/commands/defineCommand.js';
import type { Reply } from '../../src/core/reply.js';
import { UserError } from '../../src/domain/userError.js';

/** What /pick answers a payload that is on none of its menus (a forged or stale press). */
export const NOT_ON_MENU = 'That choice is not on the menu; send /pick again.';

const COLOURS = ['red', 'green', 'blue'] as const;
const CANCEL = [{ label: 'Cancel', action: 'pick:cancel' }];

/**
 * Holds a press of "pick:hold" until `release` is called (one at a time): a test's way to keep an
 * answer in flight. `entered` resolves when such a press reaches the command.
 */
export function holdPresses() {
  let release!: () => void;
  let entered!: () => void;
  const state = {
    gate: new Promise<void>((resolve) => (release = resolve)),
    entered: new Promise<void>((resolve) => (entered = resolve)),
    release: () => release(),
  };
  hold = { gate: state.gate, entered };
  return state;
}

let hold: { gate: Promise<void>; entered: () => void } | undefined;

function firstStep(): Reply {
  return {
    kind: 'answer',
    title: 'Pick a colour',
    menu: { placeholder: 'Colour', choices: COLOURS.map((colour) => ({ label: capital(colour), action: `pick:${colour}` })) },
    buttons: [CANCEL],
  };
}

const capital = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/**
 * A guided command for tests of buttons: /pick asks for a colour (a menu of 3, and Cancel); a
 * colour asks for a size (a menu, Back and Cancel); anything else is a UserError. In a shared chat
 * it points to the private chat instead (a url button), as /crs does. "pick:long" answers with
 * more than one message can hold; "pick:hold" waits for holdPresses().release().
 */
export const pick = defineCommand({
  name: 'pick',
  description: 'Pick a colour (a test command for buttons)',
  options: z.strictObject({}),
  examples: ['/pick'],
  requires: { chat: true },
  run(_input, { chat }) {
    if (!chat.isPrivate && chat.privateLink)
      return { kind: 'answer', title: 'Pick in private', buttons: [[{ label: 'Open a private chat', url: chat.privateLink('pick') }]] };
    return firstStep();
  },
  async act(payload) {
    if (payload === 'back') return firstStep();
    if (payload === 'cancel') return { kind: 'answer', title: 'Cancelled' };
    if (payload === 'long')
      return {
        kind: 'answer',
        title: 'A long answer',
        lines: Array.from({ length: 30 }, (_, i) => `Line ${i + 1}: ${'words '.repeat(30)}`),
        buttons: [CANCEL],
      };
    if (payload === 'hold' && hold) {
      const { gate, entered } = hold;
      hold = undefined;
      entered();
      await gate;
      return { kind: 'answer', title: 'Held answer' };
    }
    const colour = COLOURS.find((c) => c === payload);
    if (!colour) throw new UserError(NOT_ON_MENU);
    return {
      kind: 'answer',
      title: `You picked ${colour}`,
      lines: ['Now a size.'],
      menu: { placeholder: 'Size', choices: ['S', 'M', 'L'].map((size) => ({ label: size, action: `pick:${colour}.${size}` })) },
      buttons: [[{ label: 'Back', action: 'pick:back' }], CANCEL],
    };
  },
});
