/**
 * Finds the binaries the test cluster runs: kube-apiserver, kube-controller-manager, kube-scheduler and etcd
 * from test/cluster/build.sh's cache, kwok from test/kwok/build.sh's (both run by `make cluster`). Each cache key
 * is computed the same way its build script computes it, so a changed go.mod or Go version points at a directory
 * that does not exist yet and the error says to rebuild, instead of silently running stale binaries.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './openshift-types/sources.js';

const run = promisify(execFile);

/** The control plane, built from test/cluster/go.mod. */
export const controlPlaneNames = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
/** Every process the harness starts, in start order. */
export const componentNames = [...controlPlaneNames, 'kwok'] as const;
export type ComponentName = (typeof componentNames)[number];
export type Binaries = Record<ComponentName, string>;

/**
 * `${XDG_CACHE_HOME:-$HOME/.cache}/<cache>/<first 16 hex of sha256(go.mod, go.sum, go version)>`, as the build scripts do.
 * Exported for the other Go-built tools of the tests (test/olm/binaries.ts).
 */
export async function cacheDirOf(moduleDir: string, cache: string): Promise<string> {
  const [goMod, goSum] = await Promise.all([readFile(join(moduleDir, 'go.mod')), readFile(join(moduleDir, 'go.sum'))]);
  let goVersion: string;
  try {
    goVersion = (await run('go', ['version'], { env: { ...process.env, GOTOOLCHAIN: 'local' } })).stdout;
  } catch (error) {
    throw new Error(
      `test cluster: cannot run "go version" to find the cached binaries (${(error as Error).message}); run make cluster on a machine with Go`,
      { cause: error },
    );
  }
  const key = createHash('sha256').update(goMod).update(goSum).update(goVersion).digest('hex').slice(0, 16);
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, cache, key);
}

/** Where test/cluster/build.sh puts the control plane. */
export const expectedBinaryDir = (): Promise<string> => cacheDirOf(join(repoRoot(), 'test', 'cluster'), 'tc');
/** Where test/kwok/build.sh puts kwok. */
export const expectedKwokDir = (): Promise<string> => cacheDirOf(join(repoRoot(), 'test', 'kwok'), 'kwok');

/**
 * The binaries: the control plane from `dir` (default TC_BIN_DIR, else build.sh's cache), kwok from `kwokDir`
 * (default TC_KWOK_BIN_DIR, else test/kwok/build.sh's cache). Throws "run make cluster" naming what is missing.
 */
export async function findBinaries(dir?: string, kwokDir?: string): Promise<Binaries> {
  const binDir = dir ?? process.env.TC_BIN_DIR ?? (await expectedBinaryDir());
  const kwokBinDir = kwokDir ?? process.env.TC_KWOK_BIN_DIR ?? (await expectedKwokDir());
  const binaries = {
    ...Object.fromEntries(controlPlaneNames.map((n) => [n, join(binDir, n)])),
    kwok: join(kwokBinDir, 'kwok'),
  } as Binaries;
  const missing: string[] = [];
  for (const path of Object.values(binaries)) {
    try {
      await access(path, constants.X_OK);
    } catch {
      missing.push(path);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `test cluster: binaries missing (${missing.join(', ')}): run make cluster (bash test/cluster/build.sh; bash test/kwok/build.sh) first`,
    );
  }
  return binaries;
}
