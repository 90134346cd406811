/**
 * The configured limiters compiled once per chain build: key templates,
 * conditions, parameters (policies.md §5.23 "Keys").
 */
import { compileCondition, rateLimitedWarn, type CompiledCondition } from '../../src/shared/conditions/index.js';
import { compileTemplateValue, type TemplateValue } from '../../src/shared/liquid/index.js';
import type { LimitStore, Verdict } from './store.js';
import type {
  RateLimitConfig,
  RateLimitConnectionLimiter,
  RateLimitFixedWindowLimiter,
  RateLimitLeakyBucketLimiter,
} from './config.generated.js';

export type LimiterType = 'connections' | 'leaky_bucket' | 'fixed_window';

export interface Limiter {
  type: LimiterType;
  /** Rendered per request (liquid) or constant. */
  name: TemplateValue;
  scope: 'global' | 'service';
  condition: CompiledCondition;
  /** Key for this request (without the fixed-window prefix). */
  key(renderedName: string, serviceId: string | undefined): string;
  acquire(store: LimitStore, key: string): Promise<Verdict>;
  /** Undo a successful acquire (another limiter rejected the request). */
  undo(store: LimitStore, key: string): Promise<void>;
}

/** What the three limiter kinds share: a key and a condition. */
type LimiterJson = RateLimitConnectionLimiter | RateLimitLeakyBucketLimiter | RateLimitFixedWindowLimiter;

type Warn = (message: string) => void;

function base(type: LimiterType, json: LimiterJson, field: string, warn: Warn): Omit<Limiter, 'acquire' | 'undo'> {
  const scope = json.key?.scope === 'global' ? 'global' : 'service';
  return {
    type,
    name: compileTemplateValue(json.key?.name ?? '', json.key?.name_type, warn),
    scope,
    condition: compileCondition(json.condition, { field: `${field}.condition`, onInvalidLiquid: warn, warn: rateLimitedWarn(warn) }),
    key: (name, serviceId) => (scope === 'global' ? `${type}_${name}` : `${serviceId ?? ''}_${type}_${name}`),
  };
}

export function compileLimiters(configuration: RateLimitConfig, warn: Warn): Limiter[] {
  const limiters: Limiter[] = [];
  (configuration.connection_limiters ?? []).forEach((json, i) => {
    const conn = json.conn ?? 1;
    const burst = json.burst ?? 0;
    const delay = json.delay ?? 0;
    limiters.push({
      ...base('connections', json, `connection_limiters[${i}]`, warn),
      acquire: (store, key) => store.connectionEnter(key, conn, burst, delay),
      undo: (store, key) => store.connectionLeave(key),
    });
  });
  (configuration.leaky_bucket_limiters ?? []).forEach((json, i) => {
    const rate = json.rate ?? 1;
    const burst = json.burst ?? 0;
    limiters.push({
      ...base('leaky_bucket', json, `leaky_bucket_limiters[${i}]`, warn),
      acquire: (store, key) => store.leakyBucket(key, rate, burst),
      undo: (store, key) => store.leakyBucketUndo(key, rate),
    });
  });
  (configuration.fixed_window_limiters ?? []).forEach((json, i) => {
    // count and window are required by the schema.
    const count = json.count;
    const window = json.window <= 0 ? 1 : json.window;
    const limiter = base('fixed_window', json, `fixed_window_limiters[${i}]`, warn);
    limiters.push({
      ...limiter,
      // `<window_start>_` prefix: window_start = now - now % window.
      key: (name, serviceId) => {
        const now = Math.floor(Date.now() / 1000);
        return `${now - (now % window)}_${limiter.key(name, serviceId)}`;
      },
      acquire: (store, key) => store.fixedWindow(key, count, window),
      undo: (store, key) => store.fixedWindowUndo(key),
    });
  });
  return limiters;
}
