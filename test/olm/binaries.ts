/**
 * Finds what the OLM test runs: `olm` and `catalog` (OLM's two operators) and OLM's CRDs from
 * test/olm/olm/build.sh's cache, `opm` from test/olm/opm/build.sh's (both run by `make cluster`). The cache keys
 * are computed as the build scripts compute them (cacheDirOf), so a changed go.mod points at a directory that
 * does not exist yet and the error says to rebuild instead of running stale binaries.
 */
import { access, constants, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDirOf } from '../cluster/binaries.js';
import { repoRoot } from '../cluster/openshift-types/sources.js';

export interface OlmBinaries {
  olm: string;
  catalog: string;
  opm: string;
  /** OLM's CRD files (deploy/chart/crds of the OLM module), sorted. */
  crdPaths: string[];
}

/** Where test/olm/olm/build.sh puts olm, catalog and crds/. */
export const expectedOlmDir = (): Promise<string> => cacheDirOf(join(repoRoot(), 'test', 'olm', 'olm'), 'olm');
/** Where test/olm/opm/build.sh puts opm. */
export const expectedOpmDir = (): Promise<string> => cacheDirOf(join(repoRoot(), 'test', 'olm', 'opm'), 'opm');

/**
 * The binaries and CRDs, from `TC_OLM_BIN_DIR` / `TC_OPM_BIN_DIR` when set, else the build scripts' caches.
 * Throws "run make cluster" naming what is missing: the test fails, it never skips.
 */
export async function findOlmBinaries(): Promise<OlmBinaries> {
  const olmDir = process.env.TC_OLM_BIN_DIR ?? (await expectedOlmDir());
  const opmDir = process.env.TC_OPM_BIN_DIR ?? (await expectedOpmDir());
  const binaries = { olm: join(olmDir, 'olm'), catalog: join(olmDir, 'catalog'), opm: join(opmDir, 'opm') };
  const missing: string[] = [];
  for (const path of Object.values(binaries)) {
    if (!(await isExecutable(path))) missing.push(path);
  }
  const crdDir = join(olmDir, 'crds');
  const crdFiles = await readdir(crdDir).catch(() => []);
  const crdPaths = crdFiles
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(crdDir, f));
  if (crdPaths.length === 0) missing.push(`${crdDir}/*.yaml`);
  if (missing.length > 0) {
    throw new Error(
      `OLM test: missing ${missing.join(', ')}: run make cluster (bash test/olm/olm/build.sh; bash test/olm/opm/build.sh) first`,
    );
  }
  return { ...binaries, crdPaths };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
