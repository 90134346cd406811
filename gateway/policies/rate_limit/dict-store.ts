/**
 * Limits in the gateway-wide shared dictionary (src/workers/shared-dicts.ts):
 * without `redis_url` all limiter state lives in ONE store shared by every
 * worker (through the primary), service, chain, policy instance and reload
 * (policies.md §5.23 "Storage"; spec README "workers").
 */
import type { SharedDict } from '../../src/workers/shared-dicts.js';
import { connectionDelay, REJECTED, type LimitStore, type Verdict } from './store.js';

export class SharedDictLimitStore implements LimitStore {
  constructor(private readonly dict: SharedDict) {}

  async fixedWindow(key: string, count: number, windowSeconds: number): Promise<Verdict> {
    const n = await this.dict.incr(key, 1, 0, windowSeconds * 1000);
    if (n > count) {
      await this.dict.incr(key, -1, 0, windowSeconds * 1000);
      return REJECTED;
    }
    return { allowed: true, delay: 0 };
  }

  async fixedWindowUndo(key: string): Promise<void> {
    await this.dict.incr(key, -1, 1);
  }

  async leakyBucket(key: string, rate: number, burst: number): Promise<Verdict> {
    const answer = await this.dict.leakyBucket(key, rate, burst, true);
    return answer.rejected ? REJECTED : { allowed: true, delay: answer.delaySeconds };
  }

  async leakyBucketUndo(key: string, rate: number): Promise<void> {
    await this.dict.leakyBucketUncommit(key, rate);
  }

  async connectionEnter(key: string, conn: number, burst: number, delay: number): Promise<Verdict> {
    const n = await this.dict.incr(key, 1, 0);
    if (n > conn + burst) {
      await this.dict.incr(key, -1, 1);
      return REJECTED;
    }
    return { allowed: true, delay: connectionDelay(n, conn, delay) };
  }

  async connectionLeave(key: string): Promise<void> {
    await this.dict.incr(key, -1, 1);
  }
}
