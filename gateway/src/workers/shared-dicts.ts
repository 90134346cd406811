/**
 * The one way to get a gateway-wide dictionary: `sharedDict(runtime, 'limiter')`.
 * In a cluster worker it talks to the primary; in a single-process gateway
 * (APICAST_WORKERS=1, tests) it is local. Same name ⇒ same data, whichever
 * policy instance or chain asks (policies.md §5.23 "one gateway-wide store").
 */
import cluster from 'node:cluster';
import { localSharedDict } from './local-shared-dict.js';
import { ipcSharedDict } from './shared-dict-ipc.js';
import type { SharedDict } from './shared-dict.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';

/** Owned by the gateway's runtime: one instance per name; a local one's data goes with the gateway. */
export function sharedDict(runtime: GatewayRuntime, name: string): SharedDict {
  return runtime.own(
    `dict:${name}`,
    () => (cluster.isWorker && typeof process.send === 'function' ? ipcSharedDict(name) : localSharedDict()),
    () => undefined,
  );
}

export type { SharedDict, DictValue, LeakyBucketAnswer } from './shared-dict.js';
