import { describe, expect, it } from 'vitest';
import { checkHealth } from '../../src/app/checkHealth.js';
import type { SyncStatus } from '../../src/feed/feedPoller.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const INTERVAL = 300_000;
const ago = (ms: number) => new Date(NOW - ms);
const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({ lastSuccessAt: null, lastError: null, nextPollAt: null, ...over });
const up = { name: 'telegram', health: () => ({ ok: true }) };

describe('checkHealth', () => {
  it('is ok with every platform connected and a poll within three intervals', () => {
    const report = checkHealth({
      platforms: [up, { name: 'discord', health: () => ({ ok: true }) }],
      feed: { status: status({ lastSuccessAt: ago(3 * INTERVAL) }), intervalMs: INTERVAL, startedAt: NOW - 86_400_000 },
      now: NOW,
    });
    expect(report).toEqual({
      status: 'ok',
      platforms: { telegram: 'ok', discord: 'ok' },
      feed: { lastSuccessAt: ago(3 * INTERVAL).toISOString(), lastError: null, intervalSeconds: 300 },
    });
  });

  it('names each platform that is not connected, or not started yet', () => {
    const report = checkHealth({
      platforms: [{ name: 'telegram', health: () => ({ ok: false, reason: 'polling stopped' }) }, { name: 'discord' }],
      now: NOW,
    });
    expect(report).toEqual({
      status: 'unhealthy',
      reasons: ['telegram: polling stopped', 'discord: not started'],
      platforms: { telegram: 'polling stopped', discord: 'not started' },
    });
  });

  it('counts the feed as failing past three intervals since the last success, with the kind of the last error', () => {
    const report = checkHealth({
      platforms: [up],
      feed: {
        status: status({
          lastSuccessAt: ago(1_200_000),
          lastError: { at: ago(10_000), since: ago(20_000), kind: 'fetch', message: 'https://feed.example/rounds.json answered HTTP 503' },
        }),
        intervalMs: INTERVAL,
        startedAt: NOW - 86_400_000,
      },
      now: NOW,
    });
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual([
      'feed: last successful poll 1,200 s ago (interval 300 s); last error: fetching the feed failed (fetch; details in the logs)',
    ]);
    expect(report.platforms).toEqual({ telegram: 'ok' });
    // Anyone may ask /healthz: the kind and the times, never the error's text (it names FEED_URL).
    expect(report.feed?.lastError).toEqual({ at: ago(10_000).toISOString(), since: ago(20_000).toISOString(), kind: 'fetch' });
    expect(JSON.stringify(report)).not.toContain('feed.example');
  });

  it('gives a bot just started three intervals to reach the feed, then counts from the start', () => {
    const failing = status({ lastError: { at: ago(1000), since: ago(1000), kind: 'refused', message: 'the feed body is not JSON' } });
    const young = checkHealth({ platforms: [up], feed: { status: failing, intervalMs: INTERVAL, startedAt: NOW - 899_000 }, now: NOW });
    expect(young.status).toBe('ok');
    const old = checkHealth({ platforms: [up], feed: { status: failing, intervalMs: INTERVAL, startedAt: NOW - 901_000 }, now: NOW });
    expect(old.reasons).toEqual([
      "feed: no successful poll in the 901 s since start (interval 300 s); last error: the feed's content was refused (refused; details in the logs)",
    ]);
  });

  it('leaves out an error older than the last success, and shows short intervals in tenths', () => {
    const report = checkHealth({
      platforms: [],
      feed: {
        status: status({ lastSuccessAt: ago(700), lastError: { at: ago(5000), since: ago(5000), kind: 'fetch', message: 'old' } }),
        intervalMs: 200,
        startedAt: NOW - 10_000,
      },
      now: NOW,
    });
    expect(report.reasons).toEqual(['feed: last successful poll 0.7 s ago (interval 0.2 s)']);
  });

  it('shows the role; unhealthy on any instance once no instance has led for longer than allowed', () => {
    const leader = { role: 'leader' as const, epoch: 4, leaderForSeconds: 120, instances: 2 };
    expect(checkHealth({ platforms: [up], now: NOW, role: leader })).toEqual({ status: 'ok', role: leader, platforms: { telegram: 'ok' } });
    const waiting = { role: 'follower' as const, epoch: 4, instances: 1, leaderlessSeconds: 20 };
    expect(checkHealth({ platforms: [up], now: NOW, role: waiting, leaderlessMs: 30_000 }).status).toBe('ok');
    const orphaned = { ...waiting, leaderlessSeconds: 31 };
    expect(checkHealth({ platforms: [up], now: NOW, role: orphaned, leaderlessMs: 30_000 })).toEqual({
      status: 'unhealthy',
      reasons: ['role: no instance has led for 31 s (alerts wait)'],
      role: orphaned,
      platforms: { telegram: 'ok' },
    });
  });
});
