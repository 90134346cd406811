/**
 * TLS material for tests, generated at test time with the openssl CLI (no
 * private key is ever committed): a CA, certificates it signs (server with
 * SANs, clients), and a self-signed stranger. EC P-256 keys keep it fast.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export interface TlsMaterial {
  dir: string;
  ca: KeyPair;
  /** Signed by `ca`, SAN localhost / 127.0.0.1. */
  server: KeyPair;
  /** Signed by `ca`. */
  client: KeyPair;
  /** Self-signed, unrelated to `ca`. */
  stranger: KeyPair;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

async function pair(dir: string, name: string): Promise<KeyPair> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  return { certPath, keyPath, cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}

async function selfSigned(dir: string, name: string, subject: string): Promise<KeyPair> {
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    join(dir, `${name}.key`),
    '-out',
    join(dir, `${name}.crt`),
    '-days',
    '2',
    '-subj',
    subject,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=keyCertSign,cRLSign,digitalSignature',
  ]);
  return pair(dir, name);
}

async function signed(dir: string, name: string, subject: string, extensions: string): Promise<KeyPair> {
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, extensions);
  await run('openssl', ['req', ...EC, '-keyout', join(dir, `${name}.key`), '-out', csr, '-subj', subject]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(dir, 'ca.crt'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-CAcreateserial',
    '-out',
    join(dir, `${name}.crt`),
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return pair(dir, name);
}

let cached: Promise<TlsMaterial> | undefined;

/** One set per test run (generation takes a few hundred ms). */
export function tlsMaterial(): Promise<TlsMaterial> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-tls-'));
    const ca = await selfSigned(dir, 'ca', '/CN=Policies Test CA');
    const server = await signed(dir, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    const client = await signed(dir, 'client', '/CN=test-client', 'extendedKeyUsage=clientAuth\n');
    const stranger = await selfSigned(dir, 'stranger', '/CN=Stranger');
    return { dir, ca, server, client, stranger };
  })();
  return cached;
}

/** `data:application/pkix-cert;name=<name>;base64,…` as the TLS policies' embedded form. */
export function dataUrl(pem: string, name = 'file.pem'): string {
  return `data:application/pkix-cert;name=${name};base64,${Buffer.from(pem).toString('base64')}`;
}
