/**
 * Real Redis over TLS for tests: a throw-away CA (openssl), a redis-server that only speaks TLS, requires client
 * certificates, has the default user off and one ACL user; and a redis-sentinel that also only speaks TLS, with
 * its own ACL user, monitoring that server over TLS. Started as child processes on free loopback ports.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startProcess, type ManagedProcess } from './process.js';
import { freePort } from './ports.js';

const run = promisify(execFile);

export interface Pki {
  dir: string;
  /** PEM texts, as a Secret's REDIS_SSL_CA / REDIS_SSL_CERT / REDIS_SSL_KEY carry them. */
  ca: string;
  clientCert: string;
  clientKey: string;
  files: { ca: string; serverCert: string; serverKey: string };
}

/** A CA, a server certificate for localhost / 127.0.0.1 and a client certificate, both signed by the CA. */
export async function makePki(): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-pki-'));
  const f = (name: string) => join(dir, name);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=test-redis-ca',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  ]);
  await writeFile(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const [name, subject, ext] of [
    ['server', '/CN=localhost', true],
    ['client', '/CN=redis-client', false],
  ] as const) {
    await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`)]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      ...(ext ? ['-extfile', f('server.ext')] : []),
      '-out',
      f(`${name}.crt`),
    ]);
  }
  const read = (name: string) => readFile(f(name), 'utf8');
  return {
    dir,
    ca: await read('ca.crt'),
    clientCert: await read('client.crt'),
    clientKey: await read('client.key'),
    files: { ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key') },
  };
}

export interface TlsRedis {
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

async function tlsPing(pki: Pki, port: number, username: string, password: string): Promise<boolean> {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    username,
    password,
    tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {
    /* not ready yet */
  });
  try {
    await redis.connect();
    // What the server answered: the client's type says PONG, the check is that it did.
    const pong: string = await redis.ping();
    return pong === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** TLS only (`--port 0`), client certificates required, `default` off, one ACL user with every permission. */
export async function startTlsRedis(pki: Pki, user: { username: string; password: string }): Promise<TlsRedis> {
  const port = await freePort();
  const proc = await startProcess({
    name: `redis-server-tls-acl:${port}`,
    command: 'redis-server',
    args: [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      pki.dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--tls-cert-file',
      pki.files.serverCert,
      '--tls-key-file',
      pki.files.serverKey,
      '--tls-ca-cert-file',
      pki.files.ca,
      '--tls-auth-clients',
      'yes',
      '--user',
      user.username,
      'on',
      `>${user.password}`,
      '~*',
      '&*',
      '+@all',
      '--user',
      'default',
      'off',
    ],
    ready: () => tlsPing(pki, port, user.username, user.password),
  });
  return { port, process: proc, stop: () => proc.stop() };
}

/** A TLS-only sentinel with its own ACL user, monitoring `master` (reached over TLS with the master's ACL user). */
export async function startTlsSentinel(
  pki: Pki,
  group: string,
  master: { port: number; username: string; password: string },
  user: { username: string; password: string },
): Promise<TlsRedis> {
  const port = await freePort();
  const conf = join(pki.dir, `sentinel-${port}.conf`);
  await writeFile(
    conf,
    [
      'port 0',
      `tls-port ${port}`,
      'bind 127.0.0.1',
      `dir ${pki.dir}`,
      `tls-cert-file ${pki.files.serverCert}`,
      `tls-key-file ${pki.files.serverKey}`,
      `tls-ca-cert-file ${pki.files.ca}`,
      'tls-auth-clients yes',
      'tls-replication yes',
      `sentinel monitor ${group} 127.0.0.1 ${master.port} 1`,
      `sentinel auth-user ${group} ${master.username}`,
      `sentinel auth-pass ${group} ${master.password}`,
      `user ${user.username} on >${user.password} allcommands`,
      'user default off',
      '',
    ].join('\n'),
  );
  const proc = await startProcess({
    name: `redis-sentinel-tls-acl:${port}`,
    command: 'redis-sentinel',
    args: [conf],
    ready: () => tlsPing(pki, port, user.username, user.password),
  });
  return { port, process: proc, stop: () => proc.stop() };
}
