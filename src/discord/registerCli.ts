import { existsSync } from 'node:fs';
import { REST } from 'discord.js';
import { commands } from '../../commands/index.js';
import { ConfigError, loadConfig } from '../config.js';
import { safeError } from '../lib/safeError.js';
import { registerCommands } from './registerCommands.js';
import { slashCommands } from './slashCommands.js';

/**
 * `npm run register`: writes the slash commands to Discord — to DISCORD_GUILD_ID when set (shows
 * at once, for trying changes), otherwise globally. `npm run register -- --clear` removes them
 * from that scope, e.g. a test server's copies once the global ones are live.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const discord = loadConfig().discord;
  if (!discord) throw new ConfigError('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example) to register the commands.');
  const clear = process.argv.includes('--clear');
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  const body = clear ? [] : slashCommands(commands);
  await registerCommands(rest, { applicationId: discord.applicationId, guildId: discord.guildId }, body);
  const where = discord.guildId ? `in server ${discord.guildId}` : 'globally';
  console.log(
    clear ? `Removed the commands ${where}.` : `Registered ${body.length} commands ${where}: ${body.map((c) => `/${c.name}`).join(' ')}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else {
    const e = safeError(error) as { message?: string; status?: number; code?: number };
    console.error(
      `Discord refused the commands${e.status ? ` (HTTP ${e.status}${e.code ? `, code ${e.code}` : ''})` : ''}: ${e.message ?? String(error)}`,
    );
  }
  process.exit(1);
});
