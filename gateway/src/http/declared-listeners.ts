/**
 * Listeners declared by policies (e.g. standalone `server.listen[]`,
 * policies.md §6.7). A policy declares them through its chain export
 * `LISTENERS_EXPORT` (an array of DeclaredListener); after every
 * configuration change the gateway collects the declarations of all chains
 * and this set opens the new ones, closes the ones no longer declared, and
 * leaves ports the gateway already serves (APICAST_HTTP(S)_PORT) alone.
 * Each listener serves the proxy's request handler and tags requests with
 * its name (GatewayRequest.listenerName).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeAllConnections, closeIdleConnections, type TlsVersion } from '../net/https-listener.js';
import type { Logger } from 'pino';

/** The chain export key a policy uses to declare listeners. */
export const LISTENERS_EXPORT = 'gateway_listeners';

export interface DeclaredListener {
  port: number;
  name?: string | undefined;
  /** HTTPS when present: PEM files (the gateway's default certificate when undefined). */
  tls?:
    | {
        certificateFile?: string | undefined;
        keyFile?: string | undefined;
        /** Accepted TLS versions (nginx `ssl_protocols`, e.g. ["TLSv1.3"]); the gateway's default when undefined. */
        protocols?: TlsVersion[] | undefined;
        /** OpenSSL cipher list (nginx `ssl_ciphers`). */
        ciphers?: string | undefined;
      }
    | undefined;
  proxyProtocol?: boolean | undefined;
}

function isDeclaredListener(value: unknown): value is DeclaredListener {
  if (typeof value !== 'object' || value === null) return false;
  const port = (value as Record<string, unknown>)['port'];
  return Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;
}

/** The declarations of every chain; the first declaration of a port wins. */
export function collectDeclaredListeners(chains: Iterable<{ readonly exports: Readonly<Record<string, unknown>> }>): DeclaredListener[] {
  const byPort = new Map<number, DeclaredListener>();
  for (const chain of chains) {
    const declared = chain.exports[LISTENERS_EXPORT];
    if (!Array.isArray(declared)) continue;
    for (const listener of declared) if (isDeclaredListener(listener) && !byPort.has(listener.port)) byPort.set(listener.port, listener);
  }
  return [...byPort.values()];
}

export type ListenerFactory = (listener: DeclaredListener) => Server;

export class DeclaredListenerSet {
  private readonly open = new Map<string, Server>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly create: ListenerFactory,
    private readonly alreadyServed: ReadonlySet<number>,
    private readonly log: Logger,
  ) {}

  get ports(): number[] {
    return [...this.open.values()].map((server) => (server.address() as AddressInfo).port);
  }

  /** Applies a new set of declarations; updates run one after the other. */
  update(declared: readonly DeclaredListener[]): Promise<void> {
    this.queue = this.queue.then(() => this.apply(declared));
    return this.queue;
  }

  close(): Promise<void> {
    return this.update([]);
  }

  private async apply(declared: readonly DeclaredListener[]): Promise<void> {
    const wanted = new Map(declared.filter((l) => !this.alreadyServed.has(l.port)).map((l) => [JSON.stringify(l), l] as const));
    // Close first: a changed declaration for the same port reopens it.
    await Promise.all(
      [...this.open]
        .filter(([key]) => !wanted.has(key))
        .map(async ([key, server]) => {
          this.open.delete(key);
          await closeServer(server);
          this.log.info(`declared listener closed: ${key}`);
        }),
    );
    for (const [key, listener] of wanted) {
      if (this.open.has(key)) continue;
      try {
        const server = this.create(listener);
        await listen(server, listener.port);
        this.open.set(key, server);
        this.log.info(`declared listener ${listener.name ?? ''} listening on ${listener.port}${listener.tls ? ' (https)' : ''}`);
      } catch (error) {
        // Not fatal: the configuration stays applied; nginx would refuse to start, a reload must not kill us.
        this.log.error({ err: error }, `declared listener ${listener.name ?? ''} on port ${listener.port} cannot be opened`);
      }
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    closeIdleConnections(server);
    setTimeout(() => {
      closeAllConnections(server);
      resolve();
    }, 2000).unref();
  });
}
