/**
 * A three-level certificate chain for client-certificate tests: a root CA,
 * an intermediate CA issued by it, and a client leaf issued by the
 * intermediate (openssl, EC P-256, valid two days).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface CertificateChain {
  root: string;
  intermediate: string;
  leaf: string;
  leafKey: string;
}

async function issue(dir: string, name: string, subject: string, issuer: string, extensions: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), extensions);
  await run('openssl', ['req', ...EC, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', subject]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    join(dir, `${name}.csr`),
    '-CA',
    join(dir, `${issuer}.crt`),
    '-CAkey',
    join(dir, `${issuer}.key`),
    '-CAcreateserial',
    '-out',
    join(dir, `${name}.crt`),
    '-days',
    '2',
    '-extfile',
    join(dir, `${name}.ext`),
  ]);
}

let cached: Promise<CertificateChain> | undefined;

export function certificateChain(): Promise<CertificateChain> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tls-chain-'));
    await run('openssl', [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      join(dir, 'root.key'),
      '-out',
      join(dir, 'root.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=Chain Test Root',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=keyCertSign,cRLSign,digitalSignature',
    ]);
    await issue(
      dir,
      'intermediate',
      '/CN=Chain Test Intermediate',
      'root',
      'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign,digitalSignature\n',
    );
    await issue(dir, 'leaf', '/CN=chain-client', 'intermediate', 'extendedKeyUsage=clientAuth\n');
    const read = (name: string) => readFile(join(dir, name), 'utf8');
    return {
      root: await read('root.crt'),
      intermediate: await read('intermediate.crt'),
      leaf: await read('leaf.crt'),
      leafKey: await read('leaf.key'),
    };
  })();
  return cached;
}
