/**
 * A small CA for revocation tests, made with the openssl binary (`openssl
 * ca`, EC P-256, valid two days): client certificates (one revoked, one the
 * CA never recorded so that OCSP answers "unknown", one without an OCSP URL),
 * a delegated OCSP responder certificate, the CA's CRL, and an impostor CA
 * with the same name and another key. Client certificates carry an
 * Authority Information Access OCSP URL on `ocspPort`.
 *
 * `startOcspResponder()` runs the real `openssl ocsp` responder over the
 * CA's index (test/support/process.ts: stopped with the test run).
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../../test/support/process.js';

const run = promisify(execFile);
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface Pem {
  cert: string;
  key: string;
}

export interface RevocationPki {
  dir: string;
  ca: Pem;
  good: Pem;
  revoked: Pem;
  /** Issued by the CA outside `openssl ca`: not in the index, so OCSP says "unknown". */
  unrecorded: Pem;
  /** No Authority Information Access extension. */
  noAia: Pem;
  /** Delegated OCSP signer (extendedKeyUsage OCSPSigning), issued by the CA. */
  responder: Pem;
  /** The CA's CRL listing `revoked`. */
  crl: string;
  /** A CRL for the same issuer name signed by another key. */
  impostorCrl: string;
  /** A CRL of the CA whose nextUpdate is past. */
  expiredCrl: string;
  /** The port the client certificates' AIA OCSP URL names. */
  ocspPort: number;
}

function caConfig(dir: string, ocspPort: number): string {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
certificate = $dir/ca.crt
private_key = $dir/ca.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 2
default_crl_days = 1
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ client_ext ]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
authorityInfoAccess = OCSP;URI:http://127.0.0.1:${ocspPort}
[ no_aia_ext ]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
[ ocsp_ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
`;
}

async function makeCa(dir: string, ocspPort: number): Promise<void> {
  await mkdir(join(dir, 'newcerts'), { recursive: true });
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  await writeFile(join(dir, 'crlnumber'), '01\n');
  await writeFile(join(dir, 'ca.cnf'), caConfig(dir, ocspPort));
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    join(dir, 'ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=Revocation Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
}

let cached: Promise<RevocationPki> | undefined;

export function revocationPki(): Promise<RevocationPki> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'revocation-pki-'));
    const ocspPort = await freePort();
    await makeCa(dir, ocspPort);
    const cnf = join(dir, 'ca.cnf');
    const issue = async (name: string, extensions: string) => {
      await run('openssl', [
        'req',
        '-new',
        ...EC,
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        join(dir, `${name}.csr`),
        '-subj',
        `/CN=${name}`,
      ]);
      await run('openssl', [
        'ca',
        '-batch',
        '-notext',
        '-config',
        cnf,
        '-extensions',
        extensions,
        '-in',
        join(dir, `${name}.csr`),
        '-out',
        join(dir, `${name}.crt`),
      ]);
    };
    await issue('good', 'client_ext');
    await issue('revoked', 'client_ext');
    await issue('noaia', 'no_aia_ext');
    await issue('responder', 'ocsp_ext');
    // Signed by the CA key but never entered in index.txt.
    await writeFile(
      join(dir, 'unrecorded.ext'),
      `extendedKeyUsage=clientAuth\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:${ocspPort}\n`,
    );
    await run('openssl', [
      'req',
      '-new',
      ...EC,
      '-keyout',
      join(dir, 'unrecorded.key'),
      '-out',
      join(dir, 'unrecorded.csr'),
      '-subj',
      '/CN=unrecorded',
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      join(dir, 'unrecorded.csr'),
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-set_serial',
      '0x7777',
      '-days',
      '2',
      '-extfile',
      join(dir, 'unrecorded.ext'),
      '-out',
      join(dir, 'unrecorded.crt'),
    ]);
    await run('openssl', ['ca', '-config', cnf, '-revoke', join(dir, 'revoked.crt')]);
    await run('openssl', ['ca', '-config', cnf, '-gencrl', '-out', join(dir, 'crl.pem')]);
    await run('openssl', [
      'ca',
      '-config',
      cnf,
      '-gencrl',
      '-crl_lastupdate',
      '20200101000000Z',
      '-crl_nextupdate',
      '20200102000000Z',
      '-out',
      join(dir, 'expired-crl.pem'),
    ]);
    // Same subject name, another key.
    const impostor = join(dir, 'impostor');
    await makeCa(impostor, ocspPort);
    await run('openssl', ['ca', '-config', join(impostor, 'ca.cnf'), '-gencrl', '-out', join(impostor, 'crl.pem')]);

    const read = (file: string) => readFile(join(dir, file), 'utf8');
    const pem = async (name: string): Promise<Pem> => ({ cert: await read(`${name}.crt`), key: await read(`${name}.key`) });
    return {
      dir,
      ocspPort,
      ca: await pem('ca'),
      good: await pem('good'),
      revoked: await pem('revoked'),
      unrecorded: await pem('unrecorded'),
      noAia: await pem('noaia'),
      responder: await pem('responder'),
      crl: await read('crl.pem'),
      impostorCrl: await read('impostor/crl.pem'),
      expiredCrl: await read('expired-crl.pem'),
    };
  })();
  return cached;
}

/**
 * Ready once it answers a request: a bare connection would hold a responder
 * process waiting for its request (openssl ocsp serves one connection at a time).
 */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.once('close', () => {
      resolve(false);
    });
  });
}

/**
 * `openssl ocsp` answering for the CA from its index, signed by the delegated
 * responder certificate (or by the CA itself with `signer: 'ca'`), on `port`
 * (default: the AIA port of the client certificates).
 */
export async function startOcspResponder(
  pki: RevocationPki,
  options: { port?: number; signer?: 'responder' | 'ca' } = {},
): Promise<{ process: ManagedProcess; url: string; port: number }> {
  const port = options.port ?? pki.ocspPort;
  const signer = options.signer === 'ca' ? 'ca' : 'responder';
  const process = await startProcess({
    name: `openssl-ocsp:${port}`,
    command: 'openssl',
    args: [
      'ocsp',
      '-index',
      join(pki.dir, 'index.txt'),
      '-port',
      String(port),
      '-CA',
      join(pki.dir, 'ca.crt'),
      '-rsigner',
      join(pki.dir, `${signer}.crt`),
      '-rkey',
      join(pki.dir, `${signer}.key`),
      '-ndays',
      '1',
      // Several processes, and a bound wait for a request: keep-alive clients of other gateways never block it.
      '-multi',
      '4',
      '-timeout',
      '5',
      '-ignore_err',
    ],
    cwd: pki.dir,
    ready: () => answers(port),
  });
  return { process, url: `http://127.0.0.1:${port}`, port };
}
