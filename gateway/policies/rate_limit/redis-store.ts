/**
 * Limiter state in Redis (rate_limit `redis_url`): shared by every gateway
 * using the same Redis. Each operation is one Lua script, so it is atomic
 * even with many gateways; time comes from the Redis server (TIME) so the
 * gateways' clocks do not matter.
 */
import type { Redis } from 'ioredis';
import { connectionDelay, type LimitStore, type Verdict } from './store.js';

const FIXED_WINDOW = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if c > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return 0 end
return 1`;

const DECR_FLOOR = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then redis.call('DECR', KEYS[1]) end
return 1`;

// State "excess:last_ms"; returns the new excess as a string, or false when rejected.
const LEAKY_BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local excess = 0
local state = redis.call('GET', KEYS[1])
if state then
  local sep = string.find(state, ':')
  local prev = tonumber(string.sub(state, 1, sep - 1))
  local last = tonumber(string.sub(state, sep + 1))
  excess = math.max(prev - rate * (now - last) / 1000 + 1, 0)
end
if excess > burst then return false end
redis.call('SET', KEYS[1], tostring(excess) .. ':' .. tostring(now), 'PX', math.ceil((excess + 1) / rate * 1000) + 1000)
return tostring(excess)`;

const LEAKY_UNDO = `
local state = redis.call('GET', KEYS[1])
if not state then return 1 end
local sep = string.find(state, ':')
local excess = math.max(tonumber(string.sub(state, 1, sep - 1)) - 1, 0)
redis.call('SET', KEYS[1], tostring(excess) .. string.sub(state, sep), 'KEEPTTL')
return 1`;

// Connections: a safety TTL so a crashed gateway cannot hold slots forever.
const CONNECTION_ENTER = `
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 3600)
if n > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return -1 end
return n`;

export interface RedisLimitStoreOptions {
  /**
   * Sentinel setups: a counting write must be acknowledged by a replica
   * (WAIT 1) or it counts as a Redis error. A write only the old master saw
   * is lost at failover; without this check those requests would pass over
   * the limit once the promoted replica answers.
   */
  requireReplicaAck: boolean;
  replicaAckTimeoutMs?: number;
}

export class RedisLimitStore implements LimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLimitStoreOptions = { requireReplicaAck: false },
  ) {}

  /** EVAL of a counting script, with the replica acknowledgement when required, in one round trip. */
  private async count(
    undo: (value: unknown) => string | undefined,
    script: string,
    key: string,
    ...args: (string | number)[]
  ): Promise<unknown> {
    if (!this.options.requireReplicaAck) return this.redis.eval(script, 1, key, ...args);
    const results = await this.redis
      .pipeline()
      .eval(script, 1, key, ...args)
      .wait(1, this.options.replicaAckTimeoutMs ?? 200)
      .exec();
    if (!results) throw new Error('redis pipeline aborted');
    const [[evalError, value] = [], [waitError, acked] = []] = results;
    if (evalError) throw evalError;
    if (waitError) throw waitError;
    if (Number(acked) < 1) {
      // The request will be refused: take its count back (best effort; a lost undo only makes the limit stricter).
      const undoScript = undo(value);
      if (undoScript) await this.redis.eval(undoScript, 1, key).catch(() => undefined);
      throw new Error('write not acknowledged by a replica (failover in progress?)');
    }
    return value;
  }

  async fixedWindow(key: string, count: number, windowSeconds: number): Promise<Verdict> {
    const ok = await this.count((v) => (v === 1 ? DECR_FLOOR : undefined), FIXED_WINDOW, key, count, windowSeconds);
    return { allowed: ok === 1, delay: 0 };
  }

  async fixedWindowUndo(key: string): Promise<void> {
    await this.redis.eval(DECR_FLOOR, 1, key);
  }

  async leakyBucket(key: string, rate: number, burst: number): Promise<Verdict> {
    const excess = await this.count((v) => (v === null ? undefined : LEAKY_UNDO), LEAKY_BUCKET, key, rate, burst);
    if (excess === null) return { allowed: false, delay: 0 };
    return { allowed: true, delay: Number(excess) / rate };
  }

  async leakyBucketUndo(key: string): Promise<void> {
    await this.redis.eval(LEAKY_UNDO, 1, key);
  }

  async connectionEnter(key: string, conn: number, burst: number, delay: number): Promise<Verdict> {
    const n = Number(await this.count((v) => (Number(v) < 0 ? undefined : DECR_FLOOR), CONNECTION_ENTER, key, conn + burst));
    if (n < 0) return { allowed: false, delay: 0 };
    return { allowed: true, delay: connectionDelay(n, conn, delay) };
  }

  async connectionLeave(key: string): Promise<void> {
    await this.redis.eval(DECR_FLOOR, 1, key);
  }
}
