import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APISelectMenuOption,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Reply, ReplyButton, ReplyMenu } from '../core/reply.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The select menu's custom_id: what was picked travels as the option's value (its action). */
export const MENU_ID = 'menu';

/**
 * What Discord accepts in a message's components. Going over any of them (or two components with
 * the same custom_id, two options with the same value) fails the whole message, answer and all.
 */
const LIMITS = { rows: 5, buttonsPerRow: 5, options: 25, buttonLabel: 80, optionLabel: 100, placeholder: 150, id: 100 };

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Only a well-formed http(s) URL: Discord refuses the whole message for a bad button URL. */
function linkUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function menuRow(menu: ReplyMenu): ActionRow | undefined {
  const values = new Set<string>();
  const options: APISelectMenuOption[] = [];
  for (const choice of menu.choices) {
    if (options.length === LIMITS.options) break;
    if (values.has(choice.action) || choice.action.length > LIMITS.id) continue;
    values.add(choice.action);
    options.push({ label: truncate(choice.label, LIMITS.optionLabel), value: choice.action });
  }
  // A select menu needs at least one option.
  if (options.length === 0) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.StringSelect, custom_id: MENU_ID, placeholder: truncate(menu.placeholder, LIMITS.placeholder), options },
    ],
  };
}

function button(spec: ReplyButton, ids: Set<string>): APIButtonComponent | undefined {
  const label = truncate(spec.label, LIMITS.buttonLabel);
  if (spec.url !== undefined) {
    const url = linkUrl(spec.url);
    return url ? { type: ComponentType.Button, style: ButtonStyle.Link, label, url } : undefined;
  }
  if (ids.has(spec.action) || spec.action.length > LIMITS.id) return undefined;
  ids.add(spec.action);
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, label, custom_id: spec.action };
}

/**
 * A reply's menu and buttons as Discord components: the menu a string select in a row of its own,
 * first; then each row of buttons, an action's custom_id being the action itself (handed back when
 * pressed), a url a link button. Whatever Discord would refuse is left out (the sixth row, the
 * sixth button of a row, a repeated action, a bad URL) rather than costing the answer.
 */
export function renderComponents(reply: Pick<Reply, 'menu' | 'buttons'>): ActionRow[] {
  const rows: ActionRow[] = [];
  const menu = reply.menu && menuRow(reply.menu);
  if (menu) rows.push(menu);
  const ids = new Set([MENU_ID]);
  for (const specs of reply.buttons ?? []) {
    if (rows.length === LIMITS.rows) break;
    const buttons = specs
      .slice(0, LIMITS.buttonsPerRow)
      .map((spec) => button(spec, ids))
      .filter((b): b is APIButtonComponent => b !== undefined);
    if (buttons.length > 0) rows.push({ type: ComponentType.ActionRow, components: buttons });
  }
  return rows;
}
