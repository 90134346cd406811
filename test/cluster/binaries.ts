/**
 * Finds the kube-apiserver, kube-controller-manager and etcd binaries that
 * test/cluster/build.sh (`make cluster`) put in its cache. The cache key is
 * computed the same way build.sh computes it, so a changed go.mod or Go
 * version points at a directory that does not exist yet and the error says
 * to rebuild, instead of silently running stale binaries.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './openshift-types/sources.js';

const run = promisify(execFile);

export const componentNames = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
export type ComponentName = (typeof componentNames)[number];
export type Binaries = Record<ComponentName, string>;

/** `${XDG_CACHE_HOME:-$HOME/.cache}/tc/<first 16 hex of sha256(go.mod, go.sum, go version)>`, as in build.sh. */
export async function expectedBinaryDir(): Promise<string> {
  const moduleDir = join(repoRoot(), 'test', 'cluster');
  const [goMod, goSum] = await Promise.all([readFile(join(moduleDir, 'go.mod')), readFile(join(moduleDir, 'go.sum'))]);
  let goVersion: string;
  try {
    goVersion = (await run('go', ['version'], { env: { ...process.env, GOTOOLCHAIN: 'local' } })).stdout;
  } catch (error) {
    throw new Error(`test cluster: cannot run "go version" to find the cached binaries (${(error as Error).message}); run make cluster on a machine with Go`);
  }
  const key = createHash('sha256').update(goMod).update(goSum).update(goVersion).digest('hex').slice(0, 16);
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'tc', key);
}

/** The three binaries in `dir` (default: TC_BIN_DIR, else the build cache); throws "run make cluster" if one is missing. */
export async function findBinaries(dir?: string): Promise<Binaries> {
  const binDir = dir ?? process.env.TC_BIN_DIR ?? (await expectedBinaryDir());
  const binaries = Object.fromEntries(componentNames.map((n) => [n, join(binDir, n)])) as Binaries;
  const missing: string[] = [];
  for (const path of Object.values(binaries)) {
    try {
      await access(path, constants.X_OK);
    } catch {
      missing.push(path);
    }
  }
  if (missing.length > 0) {
    throw new Error(`test cluster: binaries missing (${missing.join(', ')}): run make cluster (bash test/cluster/build.sh) first`);
  }
  return binaries;
}
