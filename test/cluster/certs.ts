/**
 * The cluster's secrets, made fresh at each start in the cluster's temp dir:
 * a CA, the API server's serving certificate for 127.0.0.1/localhost signed by
 * it, the service-account signing key (openssl, as test-cluster.md §3), and
 * random bearer tokens for the admin and the controller-manager.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterSecrets {
  caCertPath: string;
  caCertPem: string;
  servingCertPath: string;
  servingKeyPath: string;
  serviceAccountKeyPath: string;
  tokenFilePath: string;
  adminToken: string;
  controllerManagerToken: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`test cluster: openssl ${args[0]} failed: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
}

export async function makeSecrets(dir: string): Promise<ClusterSecrets> {
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=tc-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  await openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=kube-apiserver',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    'apiserver.key',
    '-out',
    'apiserver.csr',
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'apiserver.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-copy_extensions',
    'copyall',
    '-out',
    'apiserver.crt',
  ]);
  await openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
  const adminToken = randomBytes(24).toString('hex');
  const controllerManagerToken = randomBytes(24).toString('hex');
  // token,user,uid,"group1,group2" — the static token file of kube-apiserver.
  const tokenFilePath = join(dir, 'tokens.csv');
  await writeFile(
    tokenFilePath,
    [`${adminToken},tc-admin,uid-admin,"system:masters"`, `${controllerManagerToken},system:kube-controller-manager,uid-kcm`, ''].join(
      '\n',
    ),
    { mode: 0o600 },
  );
  return {
    caCertPath: join(dir, 'ca.crt'),
    caCertPem: await readFile(join(dir, 'ca.crt'), 'utf8'),
    servingCertPath: join(dir, 'apiserver.crt'),
    servingKeyPath: join(dir, 'apiserver.key'),
    serviceAccountKeyPath: join(dir, 'sa.key'),
    tokenFilePath,
    adminToken,
    controllerManagerToken,
  };
}
