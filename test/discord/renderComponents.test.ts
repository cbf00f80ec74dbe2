import { describe, expect, it } from 'vitest';
import type { Reply, ReplyButton } from '../../src/core/reply.js';
import { MENU_ID, renderComponents } from '../../src/discord/renderComponents.js';
import { renderEmbed } from '../../src/discord/renderEmbed.js';

const button = (action: string, label = action): ReplyButton => ({ label, action });

describe('renderComponents', () => {
  it('renders nothing for a reply without menu or buttons', () => {
    expect(renderComponents({})).toEqual([]);
    expect(renderComponents({ buttons: [[]] })).toEqual([]);
  });

  it('puts the menu first, as a string select whose values are the actions, then each row of buttons', () => {
    expect(
      renderComponents({
        menu: {
          placeholder: 'Your age',
          choices: [
            { label: '17 or younger', action: 'crs:age:17' },
            { label: '18', action: 'crs:age:18' },
          ],
        },
        buttons: [
          [button('crs:back', 'Back'), button('crs:cancel', 'Cancel')],
          [{ label: 'Open a private chat', url: 'https://t.me/bot?start=crs' }],
        ],
      }),
    ).toEqual([
      {
        type: 1,
        components: [
          {
            type: 3,
            custom_id: MENU_ID,
            placeholder: 'Your age',
            options: [
              { label: '17 or younger', value: 'crs:age:17' },
              { label: '18', value: 'crs:age:18' },
            ],
          },
        ],
      },
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Back', custom_id: 'crs:back' },
          { type: 2, style: 2, label: 'Cancel', custom_id: 'crs:cancel' },
        ],
      },
      { type: 1, components: [{ type: 2, style: 5, label: 'Open a private chat', url: 'https://t.me/bot?start=crs' }] },
    ]);
  });

  it('keeps within what Discord accepts: 5 rows, 5 buttons a row, 25 options, label lengths', () => {
    const rows = renderComponents({
      menu: { placeholder: 'p'.repeat(200), choices: Array.from({ length: 30 }, (_, i) => ({ label: 'x'.repeat(120), action: `c:${i}` })) },
      buttons: Array.from({ length: 6 }, (_, r) => Array.from({ length: 7 }, (_, b) => button(`c:${r}-${b}`, 'y'.repeat(90)))),
    });
    expect(rows).toHaveLength(5);
    const [menu, ...buttonRows] = rows as unknown as Array<{ components: Array<Record<string, unknown>> }>;
    const select = menu!.components[0] as { placeholder: string; options: Array<{ label: string }> };
    expect(select.placeholder).toHaveLength(150);
    expect(select.options).toHaveLength(25);
    expect(select.options[0]!.label).toBe(`${'x'.repeat(99)}…`);
    for (const row of buttonRows) {
      expect(row.components).toHaveLength(5);
      expect(row.components[0]!.label).toBe(`${'y'.repeat(79)}…`);
    }
  });

  it('leaves out what would fail the whole message: a repeated action or value, a bad URL, an empty menu', () => {
    expect(
      renderComponents({
        menu: { placeholder: 'Pick', choices: [] },
        buttons: [[button('a:1'), button('a:1'), { label: 'Bad', url: 'javascript:alert(1)' }, { label: 'Worse', url: 'not a url' }]],
      }),
    ).toEqual([{ type: 1, components: [{ type: 2, style: 2, label: 'a:1', custom_id: 'a:1' }] }]);
    const menu = renderComponents({
      menu: {
        placeholder: 'Pick',
        choices: [
          { label: 'One', action: 'a:1' },
          { label: 'Again', action: 'a:1' },
        ],
      },
    });
    expect((menu[0]!.components[0] as { options: unknown[] }).options).toEqual([{ label: 'One', value: 'a:1' }]);
  });
});

describe('renderEmbed with components', () => {
  const step: Reply = {
    kind: 'answer',
    title: 'Your age',
    private: true,
    menu: { placeholder: 'Your age', choices: [{ label: '18', action: 'crs:age:18' }] },
    buttons: [[button('crs:cancel', 'Cancel')]],
  };

  it('adds the components to the message, which stays ephemeral when private', () => {
    const message = renderEmbed(step);
    expect(message.flags).toBe(64);
    expect(message.components).toEqual(renderComponents(step));
  });

  it('adds none to a reply without menu or buttons', () => {
    expect(renderEmbed({ kind: 'answer', title: 'Plain' })).not.toHaveProperty('components');
  });
});
