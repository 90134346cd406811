/**
 * Runs one WorkerApp under the process model: as a cluster worker it obeys
 * the primary's control messages and broadcasts; as a single process it
 * handles the signals itself (gateway.md §10: HUP reload, QUIT drain then
 * exit, TERM/INT exit). Either way the same three WorkerApp methods run.
 */
import cluster from 'node:cluster';
import type { LogSink } from '../portal/log-sink.js';
import { isMessage, type BroadcastMessage, type ControlMessage, type ReadyMessage } from './ipc-messages.js';
import type { WorkerApp } from './worker-app.js';
import { asError } from '../shared/errors.js';

export function superviseWorker(app: WorkerApp, log: LogSink, exit: (code: number) => void = (code) => process.exit(code)): void {
  let reloading: Promise<void> | undefined;
  // 'drain' can still be cut short by TERM/INT (nginx: a fast shutdown overrides a graceful one);
  // 'close' is final.
  let leaving: 'drain' | 'close' | undefined;
  const reload = () => {
    // Signals arriving during a reload join it: one reload at a time.
    reloading ??= app
      .reload()
      .catch((error: unknown) => {
        log.error(`reload failed, keeping the current configuration: ${asError(error).message}`);
      })
      .finally(() => {
        reloading = undefined;
      });
    return reloading;
  };
  const drain = () => {
    if (leaving) return;
    leaving = 'drain';
    app.drain().then(
      () => {
        exit(0);
      },
      (error: unknown) => {
        log.error(`drain failed: ${asError(error).message}`);
        exit(1);
      },
    );
  };
  const close = () => {
    if (leaving === 'close') return;
    leaving = 'close';
    void app.close().finally(() => {
      exit(0);
    });
  };

  if (cluster.isWorker) {
    process.on('message', (message: unknown) => {
      if (isMessage<ControlMessage>(message, 'apicast:control')) {
        if (message.command === 'reload') void reload();
        else drain();
      } else if (isMessage<BroadcastMessage>(message, 'apicast:broadcast')) {
        Promise.resolve(app.onBroadcast?.(message.topic, message.payload)).catch((error: unknown) => {
          log.error(`applying ${message.topic} from another worker failed: ${asError(error).message}`);
        });
      }
    });
    // The primary handles the signals; a worker ignores the ones meant for its group.
    process.on('SIGHUP', () => {});
    process.on('SIGQUIT', () => {});
    process.on('SIGINT', () => {});
    process.on('SIGTERM', close);
    const ready: ReadyMessage = { type: 'apicast:ready' };
    process.send?.(ready);
    return;
  }
  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading the configuration');
    void reload();
  });
  process.on('SIGQUIT', () => {
    log.info('SIGQUIT: draining in-flight requests');
    drain();
  });
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
