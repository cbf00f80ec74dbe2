import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describe } from 'vitest';

/** The server the PostgreSQL suites run against: any database there that this role may CREATE DATABASE from. */
const TEST_URL = process.env.TEST_DATABASE_URL;

/** `describe` when a server is given, `describe.skip` otherwise: the suite runs where PostgreSQL does. */
export const describePostgres = TEST_URL ? describe : describe.skip;

/** A new, empty database on the test server, so that suites (and their runs) never see each other's rows. */
export async function freshDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!TEST_URL) throw new Error('freshDatabaseUrl needs TEST_DATABASE_URL');
  const admin = TEST_URL;
  const name = `ee_test_${randomBytes(6).toString('hex')}`;
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE terminates the connections a test left open (a pool it did not close, a killed lock).
    drop: () => withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
