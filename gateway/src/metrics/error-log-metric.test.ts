import assert from 'node:assert/strict';
import { createGatewayMetrics } from './gateway-metrics.js';
import { toGatewayExposition } from './exposition.js';

async function errorCount(metrics: ReturnType<typeof createGatewayMetrics>, level = 'error'): Promise<number> {
  const text = toGatewayExposition(await metrics.registry.metrics());
  return Number(new RegExp(`^nginx_error_log\\{level="${level}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe('nginx_error_log and NGINX_METRICS_MAX_LOGS (gateway.md §1.6, §7)', () => {
  it('a scrape consumes at most NGINX_METRICS_MAX_LOGS error-log entries; the rest are counted by later scrapes', async () => {
    const metrics = createGatewayMetrics({ extendedMetrics: false, errorLogLevel: 'error', maxLogsPerScrape: 100 });
    for (let i = 0; i < 150; i++) metrics.hooks.logLine?.('error');
    metrics.hooks.logLine?.('warn'); // below NGINX_METRICS_LOG_LEVEL: never counted
    assert.equal(await errorCount(metrics), 100, 'first scrape: 100 of the 150 lines');
    assert.equal(await errorCount(metrics), 150, 'second scrape: the remaining 50');
    assert.equal(await errorCount(metrics), 150, 'nothing new, nothing counted');
    assert.equal(await errorCount(metrics, 'warn'), 0);
  });

  it('without scrapes the backlog is bounded: the oldest entries are dropped', async () => {
    const metrics = createGatewayMetrics({ extendedMetrics: false, errorLogLevel: 'warn', maxLogsPerScrape: 1_000_000 });
    metrics.hooks.logLine?.('warn');
    for (let i = 0; i < 40_000; i++) metrics.hooks.logLine?.('error');
    assert.equal(await errorCount(metrics, 'warn'), 0, 'the oldest line (warn) was dropped');
    assert.equal(await errorCount(metrics), 32_768);
  });

  it('the limit is configurable (NGINX_METRICS_MAX_LOGS=2)', async () => {
    const metrics = createGatewayMetrics({ extendedMetrics: false, errorLogLevel: 'warn', maxLogsPerScrape: 2 });
    for (const level of ['error', 'warning', 'error']) metrics.hooks.logLine?.(level);
    assert.equal(await errorCount(metrics), 1);
    assert.equal(await errorCount(metrics, 'warn'), 1);
    assert.equal(await errorCount(metrics), 2);
  });
});
