/**
 * What the gateway core hands to the process model: one running gateway
 * (listeners + store) in this process, and how to reload, drain or stop it.
 * The same object serves a single-process gateway and each cluster worker.
 */
export interface WorkerApp {
  /** SIGHUP: reload the configuration as at boot (file re-read, portal re-fetched). Never drops a request. */
  reload(): Promise<void>;
  /** SIGQUIT: stop accepting, let in-flight requests finish, close idle keep-alive connections. */
  drain(): Promise<void>;
  /** SIGTERM/SIGINT: close now. */
  close(): Promise<void>;
  /** A change another worker accepted (management push); see ./broadcast.ts. */
  onBroadcast?(topic: string, payload: unknown): void | Promise<void>;
}
