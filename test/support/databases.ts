/**
 * Real MariaDB and PostgreSQL for tests: the Debian servers (scripts/install-test-deps.sh), each a private
 * instance in a temp dir on a free loopback port, with a user and password so credentials really go over the
 * wire. Both refuse to run their data directory as root, so as root they run as the packages' system users
 * (setpriv, no extra process in between: SIGTERM reaches the server). A server that cannot start throws.
 */
import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { startProcess, type ManagedProcess } from './process.js';
import { freePort } from './ports.js';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

export interface DatabaseServer {
  port: number;
  user: string;
  password: string;
  /** As the system-database Secret's URL: mysql2://… or postgresql://… */
  url: string;
  /** The version the server reports (SELECT VERSION() / SHOW server_version). */
  version: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

async function systemIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** `command args` as `user` when we are root (setpriv execs in place), else as ourselves. */
function as(user: string | undefined, command: string, args: string[]): { command: string; args: string[] } {
  return user
    ? { command: 'setpriv', args: [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', command, ...args] }
    : { command, args };
}

async function ownedDir(prefix: string, user: string | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (user) {
    const { uid, gid } = await systemIds(user);
    await chown(dir, uid, gid);
  }
  return dir;
}

function mariadbBinary(): string {
  for (const path of ['/usr/sbin/mariadbd', '/usr/sbin/mysqld']) if (existsSync(path)) return path;
  throw new Error('no MariaDB server (/usr/sbin/mariadbd or mysqld): run scripts/install-test-deps.sh');
}

/** `tls`: the server speaks TLS with this certificate and refuses TCP clients that do not (require_secure_transport). */
export async function startMariaDb(
  options: { user?: string; password?: string; tls?: { cert: string; key: string } } = {},
): Promise<DatabaseServer> {
  const user = options.user ?? 'preflight';
  const password = options.password ?? 'p4ss-w0rd';
  const runAs = asRoot ? 'mysql' : undefined;
  const dir = await ownedDir('mariadb-', runAs);
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const install = as(runAs, 'mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
  ]);
  await run(install.command, install.args, { timeout: 60_000 }).catch((caught: unknown) => {
    const error = caught as Error & { stderr?: string };
    throw new Error(`mariadb-install-db failed: ${error.message}\n${error.stderr ?? ''}`, { cause: caught });
  });
  const tlsArgs: string[] = [];
  if (options.tls) {
    for (const [name, text] of [
      ['server.crt', options.tls.cert],
      ['server.key', options.tls.key],
    ] as const) {
      await writeFile(join(dir, name), text, { mode: 0o600 });
      if (runAs) {
        const { uid, gid } = await systemIds(runAs);
        await chown(join(dir, name), uid, gid);
      }
    }
    tlsArgs.push(`--ssl-cert=${join(dir, 'server.crt')}`, `--ssl-key=${join(dir, 'server.key')}`, '--require-secure-transport=ON');
  }
  const port = await freePort();
  const server = as(runAs, mariadbBinary(), [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=16M',
    '--skip-log-bin',
    ...tlsArgs,
  ]);
  const admin = () => mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 1000 });
  const proc = await startProcess({
    name: `mariadbd:${port}`,
    ...server,
    readyTimeoutMs: 60_000,
    pollIntervalMs: 200,
    ready: async () => {
      const c = await admin();
      await c.end();
      return true;
    },
  });
  const c = await admin();
  try {
    // `root` too (the operator's system-database URL rule wants root with a password): replaced for TCP only,
    // the socket's password-less root stays for this helper.
    await c.query(`CREATE OR REPLACE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`);
    await c.query(`CREATE DATABASE system`);
    await c.query(
      user === 'root' ? `GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION` : `GRANT ALL ON system.* TO '${user}'@'127.0.0.1'`,
    );
    const [rows] = await c.query('SELECT VERSION() AS v');
    const version = (rows as { v: string }[])[0].v;
    return {
      port,
      user,
      password,
      version,
      process: proc,
      url: `mysql2://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/system`,
      stop: async () => {
        await proc.stop(20_000);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } finally {
    await c.end();
  }
}

async function postgresBin(name: string): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? (await readdir(root)).filter((v) => existsSync(join(root, v, 'bin', name))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin', name);
  throw new Error(`no PostgreSQL ${name} under ${root}: run scripts/install-test-deps.sh`);
}

/** `tls`: the server speaks TLS with this certificate and refuses TCP clients that do not (pg_hba `hostssl`). */
export async function startPostgres(
  options: { user?: string; password?: string; tls?: { cert: string; key: string } } = {},
): Promise<DatabaseServer> {
  const user = options.user ?? 'preflight';
  const password = options.password ?? 'p4ss-w0rd';
  const runAs = asRoot ? 'postgres' : undefined;
  const dir = await ownedDir('postgres-', runAs);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    const { uid, gid } = await systemIds(runAs);
    await chown(pwfile, uid, gid);
  }
  // The test user is the superuser, with a password for TCP (scram) and trust only on the private socket.
  const init = as(runAs, await postgresBin('initdb'), [
    '-D',
    data,
    '-U',
    user,
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  await run(init.command, init.args, { timeout: 60_000 }).catch((caught: unknown) => {
    const error = caught as Error & { stderr?: string };
    throw new Error(`initdb failed: ${error.message}\n${error.stderr ?? ''}`, { cause: caught });
  });
  await mkdir(join(dir, 'run'), { recursive: true });
  if (runAs) {
    const { uid, gid } = await systemIds(runAs);
    await chown(join(dir, 'run'), uid, gid);
  }
  const tlsArgs: string[] = [];
  if (options.tls) {
    // The server reads its key only when it is private to its user.
    for (const [name, text] of [
      ['server.crt', options.tls.cert],
      ['server.key', options.tls.key],
    ] as const) {
      await writeFile(join(dir, name), text, { mode: 0o600 });
      if (runAs) {
        const { uid, gid } = await systemIds(runAs);
        await chown(join(dir, name), uid, gid);
      }
    }
    const hba = join(data, 'pg_hba.conf');
    await writeFile(hba, (await readFile(hba, 'utf8')).replace(/^host(\s)/gm, 'hostssl$1'));
    tlsArgs.push('-c', 'ssl=on', '-c', `ssl_cert_file=${join(dir, 'server.crt')}`, '-c', `ssl_key_file=${join(dir, 'server.key')}`);
  }
  const port = await freePort();
  const server = as(runAs, await postgresBin('postgres'), [
    '-D',
    data,
    '-k',
    join(dir, 'run'),
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'shared_buffers=16MB',
    ...tlsArgs,
  ]);
  const connect = async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user,
      password,
      database: 'postgres',
      connectionTimeoutMillis: 1000,
      ...(options.tls ? { ssl: { rejectUnauthorized: false } } : {}),
    });
    client.on('error', () => {
      /* reported through connect */
    });
    await client.connect();
    return client;
  };
  const proc = await startProcess({
    name: `postgres:${port}`,
    ...server,
    readyTimeoutMs: 60_000,
    pollIntervalMs: 200,
    ready: async () => {
      const c = await connect();
      await c.end();
      return true;
    },
  });
  const c = await connect();
  try {
    await c.query('CREATE DATABASE system');
    const version = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    return {
      port,
      user,
      password,
      version,
      process: proc,
      url: `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/system`,
      stop: async () => {
        await proc.stop(20_000);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } finally {
    await c.end();
  }
}

/** Who the servers run as (for messages). */
export const databaseRunner = asRoot ? 'system users mysql/postgres (setpriv)' : userInfo().username;
