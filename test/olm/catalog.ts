/**
 * A file-based catalog (FBC) of our bundle, served by `opm serve` as OLM's catalog source over gRPC.
 * `opm render <bundle dir>` leaves the bundle's `image` empty and inlines every manifest as an
 * `olm.bundle.object` property; OLM then installs from those inline manifests and needs no bundle-unpack Job
 * (which the test cluster cannot run: no Job controller, no containers). See test/olm/README.md.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { startProcess, type ManagedProcess } from '../support/process.js';
import { nextPatch, readCsv, writeCsv } from './csv.js';

const run = promisify(execFile);

export interface RenderedBundle {
  /** The olm.bundle name: the CSV's metadata.name. */
  name: string;
  /** The FBC documents of `opm render`, as YAML text. */
  yaml: string;
  /** The bundle's `image` field (must be empty for an install without unpack Job). */
  image: string;
}

/** `opm render <bundleDir> -o yaml`: one olm.bundle document (plus nothing else for a bundle directory). */
export async function renderBundle(opm: string, bundleDir: string): Promise<RenderedBundle> {
  const { stdout } = await run(opm, ['render', bundleDir, '-o', 'yaml'], { maxBuffer: 64 * 1024 * 1024 });
  const bundles = parseAllDocuments(stdout)
    .map((d) => d.toJS() as { schema?: string; name?: string; image?: string } | null)
    .filter((d) => d?.schema === 'olm.bundle');
  const bundle = bundles[0];
  if (bundles.length !== 1 || !bundle?.name) throw new Error(`opm render ${bundleDir}: expected one olm.bundle, got ${bundles.length}`);
  return { name: bundle.name, yaml: stdout, image: bundle.image ?? '' };
}

export interface ChannelEntry {
  bundle: RenderedBundle;
  replaces?: string;
}

/**
 * Writes an FBC directory: the olm.package, one olm.channel with `entries` (the upgrade graph: `replaces` edges)
 * and each bundle in its own file. `opm serve` reads the whole directory at start.
 */
export async function writeCatalog(dir: string, packageName: string, channel: string, entries: ChannelEntry[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const pkg = { schema: 'olm.package', name: packageName, defaultChannel: channel };
  const channelDoc = {
    schema: 'olm.channel',
    package: packageName,
    name: channel,
    entries: entries.map((e) => ({ name: e.bundle.name, ...(e.replaces ? { replaces: e.replaces } : {}) })),
  };
  await writeFile(join(dir, 'package.yaml'), `${stringify(pkg)}---\n${stringify(channelDoc)}`);
  for (const entry of entries) await writeFile(join(dir, `${entry.bundle.name}.yaml`), entry.bundle.yaml);
}

export interface BumpedBundle {
  dir: string;
  csvName: string;
  version: string;
  /** The operator image of the new version's Deployment (the tag bumped to the new version). */
  image: string;
}

/**
 * Copies the bundle directory to `dir` as the next patch version that replaces the current one: CSV name,
 * `spec.version`, `spec.replaces` and the operator image tag change, so the test can see the upgrade in the
 * Deployment OLM rolls out.
 */
export async function bumpBundle(sourceDir: string, dir: string): Promise<BumpedBundle> {
  await cp(sourceDir, dir, { recursive: true });
  const csv = await readCsv(dir);
  const previous = csv.metadata.name;
  const version = nextPatch(csv.spec.version);
  csv.metadata.name = previous.replace(/\.v[^.]+\.[^.]+\.[^.]+$/, `.v${version}`);
  if (csv.metadata.name === previous) throw new Error(`CSV name ${previous} does not end in .v<version>`);
  csv.spec.version = version;
  csv.spec.replaces = previous;
  const container = csv.spec.install.spec.deployments.at(0)?.spec.template.spec.containers.at(0);
  if (!container) throw new Error(`${previous}: no Deployment container in the install strategy`);
  container.image = container.image.replace(/:[^:/]+$/, `:${version}`);
  await writeCsv(dir, csv);
  return { dir, csvName: csv.metadata.name, version, image: container.image };
}

/**
 * `opm serve <dir>` on `port`. opm listens on `:<port>` (every interface; it has no bind-address flag), so
 * the port comes from freePort, which checks the wildcard address too. Its pprof endpoint (default
 * localhost:6060, shared by every opm on the machine) is switched off, the termination log goes to `dir`.
 */
export async function serveCatalog(opm: string, dir: string, port: number, logDir: string): Promise<ManagedProcess> {
  return startProcess({
    name: `opm-serve:${port}`,
    command: opm,
    args: ['serve', dir, '-p', String(port), '--pprof-addr', '', '-t', join(logDir, `opm-${port}.termination.log`)],
    // Listening comes after the catalog is loaded into opm's cache: an accepted connection means it serves.
    ready: () => canConnect(port),
    readyTimeoutMs: 30_000,
    pollIntervalMs: 100,
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}
