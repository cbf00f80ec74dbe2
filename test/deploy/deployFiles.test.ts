import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgs } from '../app/productionCopy.js';

// Docker cannot run here: these check that the deployment files say what CI tests (.ci/run builds a
// clean copy with the same commands), and run the image's health check against a server.

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Dockerfile instructions per stage, continuation lines joined, comments dropped. */
function dockerStages(text: string): Array<Array<{ op: string; args: string }>> {
  const stages: Array<Array<{ op: string; args: string }>> = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op === 'FROM') stages.push([]);
    stages.at(-1)!.push({ op: op!, args: args!.replace(/\s+/g, ' ') });
  }
  return stages;
}

const [build, runtime] = dockerStages(read('Dockerfile')) as [Array<{ op: string; args: string }>, Array<{ op: string; args: string }>];
const all = (stage: typeof build, op: string) => stage.filter((i) => i.op === op).map((i) => i.args);
const healthCheck = JSON.parse(all(runtime, 'HEALTHCHECK')[0]!.replace(/^.*?CMD /, '')) as string[];

describe('Dockerfile', () => {
  it('builds with the commands CI runs on a clean copy, on Node 24', () => {
    expect(build[0]!.args).toBe('node:24-bookworm-slim AS build');
    const run = all(build, 'RUN').join(' && ');
    expect(run).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    const steps = ['npm ci', 'npm run build', 'npm prune --omit=dev'].map((step) => run.indexOf(step));
    expect(steps.every((at) => at >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('runs node itself on the built bot, as a non-root user, with the state on a volume', () => {
    expect(runtime[0]!.args).toBe('node:24-bookworm-slim');
    expect(
      all(runtime, 'COPY')
        .map((args) => args.split(' ')[1])
        .sort(),
    ).toEqual(['/app/data', '/app/dist', '/app/node_modules', '/app/package.json']);
    expect(all(runtime, 'COPY').every((args) => args.startsWith('--from=build '))).toBe(true);
    expect(all(runtime, 'USER')).toEqual(['node']);
    expect(all(runtime, 'ENV').join(' ')).toMatch(/DATA_DIR=\/data .*HEALTH_PORT=9090/);
    expect(all(runtime, 'VOLUME')).toEqual(['/data']);
    // The same node arguments as `npm start`.
    expect(JSON.parse(all(runtime, 'CMD')[0]!)).toEqual(['node', ...startArgs()]);
    // dist/main.js is what the build writes from src/main.ts.
    expect(read('scripts/build.mjs')).toMatch(/^\s+main: 'src\/main\.ts',$/m);
  });

  describe('its health check', () => {
    let status = 200;
    const paths: string[] = [];
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** The HEALTHCHECK command's exit code, run as Docker runs it (exec form) with HEALTH_PORT set. */
    const check = (healthPort: number) =>
      new Promise<number | null>((resolve) => {
        const [command, ...args] = healthCheck;
        expect(command).toBe('node');
        spawn(process.execPath, args, { env: { ...process.env, HEALTH_PORT: String(healthPort) }, stdio: 'ignore' }).once('exit', resolve);
      });

    it('passes on 200 from /healthz and fails on 503 or when nothing answers', async () => {
      expect(await check(port)).toBe(0);
      status = 503;
      expect(await check(port)).toBe(1);
      expect(paths).toEqual(['/healthz', '/healthz']);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(await check(port)).toBe(1);
      server.listen(0, '127.0.0.1'); // for afterAll
    });
  });
});

describe('.dockerignore', () => {
  it('keeps state, secrets and local builds out of the image', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', '.env.*', 'node_modules', 'dist', 'var', '.git', '*.sqlite']) expect(ignored).toContain(entry);
  });
});

/**
 * The lines nested under `key` at `indent` spaces (a compose service, or one of its settings),
 * comments dropped, or undefined when there is no such key. No YAML parser among the dependencies,
 * and these checks need none.
 */
function yamlBlock(text: string, key: string, indent = 0): string | undefined {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const start = lines.findIndex((line) => line.startsWith(`${' '.repeat(indent)}${key}:`));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && line.trim() !== '' && line.search(/\S/) <= indent);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('compose.yaml', () => {
  const text = read('compose.yaml');
  const services = yamlBlock(text, 'services')!;
  const service = (name: string) => yamlBlock(services, name, 2) ?? '';

  it('runs the image with .env, a named volume for /data and a restart policy, keeping its health check', () => {
    const bot = service('bot');
    expect(bot).toMatch(/^ {4}env_file: \.env$/m);
    expect(bot).toMatch(/^ {6}- bot-data:\/data$/m);
    expect(bot).toMatch(/^ {6}DATA_DIR: \/data$/m);
    expect(bot).toMatch(/^ {4}restart: unless-stopped$/m);
    expect(text).toMatch(/^volumes:\n(?:\s+#.*\n)*\s+bot-data:$/m);
    expect(bot).not.toMatch(/^\s+healthcheck:/m);
    // Started by a plain `docker compose up`, as before the profile below existed.
    expect(bot).not.toMatch(/^\s+profiles:/m);
  });

  describe('the profile "several"', () => {
    const postgres = service('postgres');
    const replicas = service('bot-replicas');

    it('runs PostgreSQL 15 on a named volume, healthy once pg_isready says so', () => {
      expect(postgres).toMatch(/^ {4}profiles: \[several\]$/m);
      expect(postgres).toMatch(/^ {4}image: postgres:15$/m);
      expect(postgres).toMatch(/^ {6}- postgres-data:\/var\/lib\/postgresql\/data$/m);
      expect(yamlBlock(text, 'volumes')).toMatch(/^ {2}postgres-data:$/m);
      const healthcheck = yamlBlock(postgres, 'healthcheck', 4);
      expect(healthcheck).toMatch(/^ {6}test: \["CMD-SHELL", "pg_isready -U eebot -d eebot"\]$/m);
      expect(healthcheck).toMatch(/^ {6}interval: \d+s$/m);
    });

    it('runs two replicas of the same image on it, once it is healthy, with no state of their own', () => {
      expect(replicas).toMatch(/^ {4}profiles: \[several\]$/m);
      expect(replicas).toMatch(/^ {4}image: ee-draw-bot$/m);
      expect(service('bot')).toMatch(/^ {4}image: ee-draw-bot$/m);
      expect(replicas).toMatch(/^ {4}env_file: \.env$/m);
      expect(yamlBlock(replicas, 'deploy', 4)).toMatch(/^ {6}replicas: 2$/m);
      expect(yamlBlock(replicas, 'depends_on', 4)).toBe(
        ['    depends_on:', '      postgres:', '        condition: service_healthy'].join('\n'),
      );
      expect(replicas).toMatch(/^ {4}restart: unless-stopped$/m);
      expect(replicas).toMatch(/^ {4}stop_grace_period: 30s$/m);
      expect(replicas).not.toMatch(/^ {4}(?:volumes|ports):/m);
      expect(replicas).not.toMatch(/DATA_DIR/);
    });

    it('points DATABASE_URL at the postgres service, with its user, password and database', () => {
      const env = (block: string, name: string) => new RegExp(`^ {6}${name}: (.+)$`, 'm').exec(block)?.[1];
      const url = env(replicas, 'DATABASE_URL');
      const user = env(postgres, 'POSTGRES_USER');
      const password = env(postgres, 'POSTGRES_PASSWORD');
      const database = env(postgres, 'POSTGRES_DB');
      expect(url).toBe(`postgres://${user}:${password}@postgres:5432/${database}`);
      // Set in the service's environment, so that a DATABASE_URL in .env cannot point it elsewhere.
      expect(yamlBlock(replicas, 'environment', 4)).toContain('DATABASE_URL:');
    });

    it('says how to start it without the default bot, as docs/scaling.md does', () => {
      const command = 'docker compose --profile several up -d --build postgres bot-replicas';
      expect(text).toContain(`#   ${command}`);
      expect(read('docs/scaling.md')).toContain(command);
    });
  });
});

describe('deploy/ee-draw-bot.service', () => {
  const unit = new Map<string, string[]>();
  for (const line of read('deploy/ee-draw-bot.service').split('\n')) {
    const match = /^(\w+)=(.*)$/.exec(line);
    if (match) unit.set(match[1]!, [...(unit.get(match[1]!) ?? []), match[2]!]);
  }
  const one = (key: string) => unit.get(key)?.[0];

  it('runs node on the built bot as a dedicated user, restarted always', () => {
    expect(one('Type')).toBe('simple');
    expect(one('ExecStart')).toBe(['/usr/bin/node', ...startArgs()].join(' '));
    expect(one('Restart')).toBe('always');
    expect(one('User')).toBe('ee-draw-bot');
    expect(one('WorkingDirectory')).toBe('/opt/ee-draw-bot');
    expect(one('EnvironmentFile')).toBe('/etc/ee-draw-bot.env');
    expect(Number(one('RestartSec'))).toBeGreaterThan(0);
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThan(0);
  });

  it('may write only to its DATA_DIR', () => {
    expect(unit.get('Environment')).toContain('DATA_DIR=/var/lib/ee-draw-bot');
    expect(one('ReadWritePaths')).toBe('/var/lib/ee-draw-bot');
    expect(one('StateDirectory')).toBe('ee-draw-bot');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('NoNewPrivileges')).toBe('true');
    expect(unit.has('MemoryDenyWriteExecute')).toBe(false); // V8 needs it off
  });
});
