import assert from 'node:assert/strict';
import type { ConfigurationJson } from '../config/types.js';
import type { ApplyResult, ConfigurationSink } from './configuration-sink.js';
import { LazyLoader } from './lazy-loader.js';
import { recordingLog } from './log-sink.js';
import { startRefresh } from './refresh-scheduler.js';
import type { PortalResult } from './remote-v2.js';

function recordingSink(verdict: (c: ConfigurationJson) => ApplyResult = (c) => ({ ok: true, services: c.services?.length ?? 0 })) {
  const applied: { configuration: ConfigurationJson; origin: string; forHost: string | undefined }[] = [];
  const sink: ConfigurationSink = {
    apply(configuration, origin, forHost) {
      applied.push({ configuration, origin, forHost });
      return verdict(configuration);
    },
  };
  return { sink, applied };
}

const loaded = (id: number): PortalResult => ({ ok: true, configuration: { services: [{ id }] }, via: 'test' });

describe('lazy loader and refresh timer (gateway.md §5)', () => {
  it('fetches a host once per cache TTL, shares one fetch between concurrent requests, and refetches after reset', async () => {
    let now = 0;
    const fetched: string[] = [];
    const { sink, applied } = recordingSink();
    const loader = new LazyLoader({
      fetchForHost: async (host) => {
        fetched.push(host);
        await new Promise((r) => setTimeout(r, 20));
        return loaded(1);
      },
      sink,
      cacheSeconds: 10,
      log: recordingLog(),
      now: () => now,
    });
    await Promise.all([loader.ensure('a'), loader.ensure('a'), loader.ensure('a')]);
    assert.deepEqual(fetched, ['a'], 'one fetch for three concurrent requests');
    now = 9_999;
    await loader.ensure('a');
    assert.deepEqual(fetched, ['a']);
    now = 10_000;
    await loader.ensure('a');
    assert.deepEqual(fetched, ['a', 'a'], 'expired after 10 s');
    loader.reset();
    await loader.ensure('a');
    assert.equal(fetched.length, 3);
    assert.equal(applied[0].forHost, 'a');
  });

  it('cache 0 fetches on every request; failures and invalid configurations are logged and change nothing', async () => {
    const log = recordingLog();
    let answer: PortalResult = loaded(1);
    let calls = 0;
    const { sink, applied } = recordingSink((c) =>
      c.services?.[0]?.id === 666 ? { ok: false, error: 'services[0].proxy: invalid' } : { ok: true, services: 1 },
    );
    const loader = new LazyLoader({
      fetchForHost: () => {
        calls++;
        return Promise.resolve(answer);
      },
      sink,
      cacheSeconds: 0,
      log,
    });
    await loader.ensure('h');
    await loader.ensure('h');
    assert.equal(calls, 2);
    answer = { ok: false, error: 'connection failed: ECONNREFUSED' };
    await loader.ensure('h');
    assert.equal(applied.length, 2, 'a failed fetch applies nothing');
    assert.match(
      log.lines.join('\n'),
      /failed to load configuration for host h, keeping its last good configuration: connection failed: ECONNREFUSED/,
    );
    answer = loaded(666);
    await loader.ensure('h');
    assert.match(
      log.lines.join('\n'),
      /invalid configuration for host h, keeping its last good configuration: services\[0\]\.proxy: invalid/,
    );
  });

  it('the refresh timer reloads every interval, logs failures with their reason, and never overlaps', async () => {
    const log = recordingLog();
    const { sink, applied } = recordingSink();
    let loads = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const handle = startRefresh({
      intervalSeconds: 0.05,
      sink,
      log,
      load: async () => {
        loads++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return loads === 2 ? { ok: false, error: 'invalid status: 503 (Service Unavailable)' } : loaded(loads);
      },
    });
    await new Promise((r) => setTimeout(r, 400));
    handle.stop();
    const stoppedAt = loads;
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(stoppedAt >= 3, `refreshed repeatedly (${stoppedAt})`);
    assert.equal(loads, stoppedAt, 'no refresh after stop');
    assert.equal(maxInFlight, 1);
    assert.equal(applied.length, stoppedAt - 1);
    assert.match(log.lines.join('\n'), /failed to update configuration: invalid status: 503/);
    const now = await handle.refreshNow();
    assert.equal(now.ok, true);
  });
});
