/**
 * SharedDict across processes: workers send each operation to the primary,
 * which runs it on its LocalDictCore for that dictionary name and answers.
 * One process owns the data, so increments from all workers add up exactly.
 */
import type { Worker } from 'node:cluster';
import { isMessage, type DictReply, type DictRequest } from './ipc-messages.js';
import { LocalDictCore } from './local-shared-dict.js';
import type { DictOperation, SharedDict } from './shared-dict.js';

/** Primary side: answers DictRequests of one worker. Call for every forked worker. */
export function serveDicts(worker: Worker, dicts: Map<string, LocalDictCore>): void {
  worker.on('message', (message: unknown) => {
    if (!isMessage<DictRequest>(message, 'apicast:dict')) return;
    let core = dicts.get(message.dict);
    if (!core) {
      core = new LocalDictCore();
      dicts.set(message.dict, core);
    }
    const reply: DictReply = { type: 'apicast:dict:reply', id: message.id };
    try {
      reply.result = (core[message.op] as (...args: unknown[]) => unknown).apply(core, message.args);
    } catch (error) {
      reply.error = (error as Error).message;
    }
    if (worker.isConnected()) worker.send(reply);
  });
}

let nextId = 1;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.on('message', (message: unknown) => {
    if (!isMessage<DictReply>(message, 'apicast:dict:reply')) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
}

/** A primary that does not answer (exiting) must not hang requests: the caller's error handling decides. */
const CALL_TIMEOUT_MS = 5000;

function call(dict: string, op: DictOperation, args: unknown[]): Promise<unknown> {
  listen();
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`shared dictionary ${dict}: the primary process did not answer ${op} within ${CALL_TIMEOUT_MS} ms`));
    }, CALL_TIMEOUT_MS);
    timer.unref();
    pending.set(id, {
      resolve: (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    const request: DictRequest = { type: 'apicast:dict', id, dict, op, args };
    if (!process.send) throw new Error('shared dict: this process has no IPC channel to the primary');
    process.send(request, undefined, undefined, (error: Error | null) => {
      if (error) {
        pending.get(id)?.reject(error);
        pending.delete(id);
      }
    });
  });
}

/** Worker side: a SharedDict whose operations run in the primary. */
export function ipcSharedDict(dict: string): SharedDict {
  return {
    get: (key) => call(dict, 'get', [key]) as ReturnType<SharedDict['get']>,
    set: async (key, value, ttlMs) => {
      await call(dict, 'set', [key, value, ttlMs]);
    },
    add: (key, value, ttlMs) => call(dict, 'add', [key, value, ttlMs]) as Promise<boolean>,
    incr: (key, delta, init, ttlMs) => call(dict, 'incr', [key, delta, init, ttlMs]) as Promise<number>,
    delete: async (key) => {
      await call(dict, 'delete', [key]);
    },
    leakyBucket: (key, rate, burst, commit) =>
      call(dict, 'leakyBucket', [key, rate, burst, commit]) as ReturnType<SharedDict['leakyBucket']>,
    leakyBucketUncommit: async (key, rate) => {
      await call(dict, 'leakyBucketUncommit', [key, rate]);
    },
    flush: async () => {
      await call(dict, 'flush', []);
    },
  };
}
