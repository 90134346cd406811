/**
 * Worker → every other worker: a change one worker accepted that all must
 * apply, e.g. a configuration pushed through the management API (which a
 * single worker receives, since the management port is shared). In a
 * single-process gateway there is nobody to tell: a no-op.
 */
import cluster from 'node:cluster';
import type { BroadcastMessage } from './ipc-messages.js';

export function broadcastToOtherWorkers(topic: string, payload: unknown): void {
  if (!cluster.isWorker || typeof process.send !== 'function') return;
  const message: BroadcastMessage = { type: 'apicast:broadcast', topic, payload };
  process.send(message);
}
