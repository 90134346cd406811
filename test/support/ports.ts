import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/*
 * Ports for servers that tests start as child processes. Asking the kernel for
 * port 0 hands out a port of the ephemeral range (32768-60999 here), which the
 * kernel also hands to outgoing connections: under load (wrk, keep-alive pools)
 * a port probed free can be taken by a client socket before the child binds it
 * (EADDRINUSE). So we pick below the ephemeral range, where only explicit binds
 * compete, never give the same port twice in one run, and still probe it.
 */
const LOWEST = 20_000;
const HIGHEST = 32_000;
const handedOut = new Set<number>();

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, host, () =>
      server.close(() => {
        resolve(true);
      }),
    );
  });
}

/** A TCP port that is free on `host` (and on the wildcard address), outside the kernel's ephemeral range. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = randomInt(LOWEST, HIGHEST);
    if (handedOut.has(port)) continue;
    if ((await canBind(port, host)) && (await canBind(port, '0.0.0.0'))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found between ${LOWEST} and ${HIGHEST} on ${host}`);
}

export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort(host));
  return ports;
}
