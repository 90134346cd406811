/**
 * Messages between the primary and its workers (node:cluster IPC). One
 * `type` prefix so they never collide with prom-client's own messages.
 */
import type { SharedDnsEntry } from '../net/dns-resolver.js';
import type { DictOperation } from './shared-dict.js';

export interface DictRequest {
  type: 'apicast:dict';
  id: number;
  dict: string;
  op: DictOperation;
  args: unknown[];
}
export interface DictReply {
  type: 'apicast:dict:reply';
  id: number;
  result?: unknown;
  error?: string;
}

/** Primary → worker: SIGHUP (reload configuration) or SIGQUIT (drain then exit). */
export interface ControlMessage {
  type: 'apicast:control';
  command: 'reload' | 'drain';
}

/** Worker → primary → every other worker: a change one worker accepted that all must apply (management push). */
export interface BroadcastMessage {
  type: 'apicast:broadcast';
  topic: string;
  payload: unknown;
}

/** Worker → primary: this worker serves now (the primary replays the broadcasts it missed). */
export interface ReadyMessage {
  type: 'apicast:ready';
}

/** Worker → primary → every other worker: a DNS answer (the cache is shared across workers, gateway.md §10). */
export interface DnsAnswerMessage {
  type: 'apicast:dns';
  entry: SharedDnsEntry;
}

export type WorkerBound = DictReply | ControlMessage | BroadcastMessage | DnsAnswerMessage;
export type PrimaryBound = DictRequest | BroadcastMessage | ReadyMessage | DnsAnswerMessage;

export function isMessage<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
