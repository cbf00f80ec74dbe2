import type { AnyCommand } from '../src/commands/defineCommand.js';
import { about } from './about.js';
import { categories } from './categories.js';
import { check } from './check.js';
import { crs } from './crs.js';
import { draw } from './draw.js';
import { forget } from './forget.js';
import { help } from './help.js';
import { history } from './history.js';
import { latest } from './latest.js';
import { next } from './next.js';
import { pool } from './pool.js';
import { profile } from './profile.js';
import { stats } from './stats.js';
import { subscribe } from './subscribe.js';
import { subscriptions } from './subscriptions.js';
import { unsubscribe } from './unsubscribe.js';

/** Every command, in the order menus list them. Adding a command: one file, one line here. */
export const commands: readonly AnyCommand[] = [
  latest,
  check,
  crs,
  history,
  stats,
  draw,
  pool,
  next,
  categories,
  subscribe,
  unsubscribe,
  subscriptions,
  profile,
  forget,
  help,
  about,
];
