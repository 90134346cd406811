/** Where the stand-in CRDs and the generated types live in the repository. */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CrdSource } from './generate.js';

/** The repository root: the nearest folder above this file holding package.json (works from dist/ too). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('could not find the repository root (package.json) above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const crdDir = (): string => join(repoRoot(), 'test', 'cluster', 'crds');
export const schemaOnlyDir = (): string => join(crdDir(), 'schema-only');
export const generatedTypesPath = (): string => join(repoRoot(), 'operator', 'src', 'openshift', 'generated.ts');

async function yamlFilesIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort();
  return names.map((n) => join(dir, n));
}

/** The three stand-in CRDs that the test cluster installs. */
export async function standInCrdPaths(): Promise<string[]> {
  return yamlFilesIn(crdDir());
}

/** Stand-ins plus the schema-only Template: everything the generator reads. */
export async function allSchemaSources(): Promise<CrdSource[]> {
  const paths = [...(await yamlFilesIn(crdDir())), ...(await yamlFilesIn(schemaOnlyDir()))];
  return Promise.all(paths.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}
