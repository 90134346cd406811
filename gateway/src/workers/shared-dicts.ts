/**
 * The one way to get a gateway-wide dictionary: `sharedDict('limiter')`.
 * In a cluster worker it talks to the primary; in a single-process gateway
 * (APICAST_WORKERS=1, tests) it is local. Same name ⇒ same data, whichever
 * policy instance or chain asks (policies.md §5.23 "one gateway-wide store").
 */
import cluster from 'node:cluster';
import { localSharedDict } from './local-shared-dict.js';
import { ipcSharedDict } from './shared-dict-ipc.js';
import type { SharedDict } from './shared-dict.js';

const dicts = new Map<string, SharedDict>();

export function sharedDict(name: string): SharedDict {
  let dict = dicts.get(name);
  if (!dict) {
    dict = cluster.isWorker && typeof process.send === 'function' ? ipcSharedDict(name) : localSharedDict();
    dicts.set(name, dict);
  }
  return dict;
}

export type { SharedDict, DictValue, LeakyBucketAnswer } from './shared-dict.js';
