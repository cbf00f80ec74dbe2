import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { inlineKeyboard, ROW_BUTTONS, ROW_CHARACTERS } from '../../src/telegram/inlineKeyboard.js';

const base: Reply = { kind: 'answer', title: 'Your age' };
const choice = (label: string) => ({ label, action: `crs:age=${label}` });

describe('inlineKeyboard', () => {
  it('is undefined for a reply with neither menu nor buttons', () => {
    expect(inlineKeyboard(base)).toBeUndefined();
    expect(inlineKeyboard({ ...base, buttons: [[]], menu: { placeholder: 'Age', choices: [] } })).toBeUndefined();
  });

  it('puts the menu first, short labels four to a row, then each row of buttons as given', () => {
    const reply: Reply = {
      ...base,
      menu: { placeholder: 'Your age', choices: ['17', '18', '19', '20', '21', '22'].map(choice) },
      buttons: [
        [
          { label: 'Back', action: 'crs:back' },
          { label: 'Cancel', action: 'crs:cancel' },
        ],
        [{ label: 'Help', url: 'https://example.com/help' }],
      ],
    };
    expect(inlineKeyboard(reply)).toEqual({
      inline_keyboard: [
        [
          { text: '17', callback_data: 'crs:age=17' },
          { text: '18', callback_data: 'crs:age=18' },
          { text: '19', callback_data: 'crs:age=19' },
          { text: '20', callback_data: 'crs:age=20' },
        ],
        [
          { text: '21', callback_data: 'crs:age=21' },
          { text: '22', callback_data: 'crs:age=22' },
        ],
        [
          { text: 'Back', callback_data: 'crs:back' },
          { text: 'Cancel', callback_data: 'crs:cancel' },
        ],
        [{ text: 'Help', url: 'https://example.com/help' }],
      ],
    });
  });

  it('starts a new row before the labels of one pass what a phone shows whole', () => {
    const labels = ["Master's degree", 'PhD', 'Two or more credentials', 'High school', 'None'];
    const rows = inlineKeyboard({ ...base, menu: { placeholder: 'Education', choices: labels.map(choice) } })!.inline_keyboard;
    expect(rows.map((row) => row.map((b) => b.text))).toEqual([
      ["Master's degree", 'PhD'],
      ['Two or more credentials'],
      ['High school', 'None'],
    ]);
    for (const row of rows) {
      expect(row.length).toBeLessThanOrEqual(ROW_BUTTONS);
      if (row.length > 1) expect(row.reduce((n, b) => n + b.text.length, 0)).toBeLessThanOrEqual(ROW_CHARACTERS);
    }
  });

  it('gives a label longer than a row a row of its own', () => {
    const long = 'A'.repeat(ROW_CHARACTERS + 5);
    const rows = inlineKeyboard({
      ...base,
      menu: { placeholder: 'x', choices: [choice('a'), choice(long), choice('b')] },
    })!.inline_keyboard;
    expect(rows.map((row) => row.length)).toEqual([1, 1, 1]);
  });

  it('refuses an action longer than the 64 bytes of callback_data, counted in UTF-8', () => {
    expect(() => inlineKeyboard({ ...base, buttons: [[{ label: 'x', action: `crs:${'é'.repeat(31)}` }]] })).toThrow(/64 bytes/);
    expect(inlineKeyboard({ ...base, buttons: [[{ label: 'x', action: `crs:${'e'.repeat(60)}` }]] })).toBeDefined();
  });
});
