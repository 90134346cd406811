// A copy of the built application as the container images lay it out: dist/, bin/, package.json and
// node_modules, owned by root and not writable by anyone, so that a process run under an arbitrary UID
// (OpenShift's restricted SCC) proves it needs no write access to its own files.
import { cp, mkdtemp, rm, symlink, chmod, readdir, lstat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPOSITORY_ROOT = new URL('../../../../../', import.meta.url).pathname;

/** Never follows symbolic links: the node_modules link points at the repository's own installation. */
async function chmodTree(path: string, mode: (isDir: boolean) => number): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    for (const entry of await readdir(path)) await chmodTree(join(path, entry), mode);
  }
  await chmod(path, mode(info.isDirectory()));
}

export interface ReadOnlyApp {
  root: string;
  remove(): Promise<void>;
}

/** Copies `dist/<part>` for each part, bin/ and package.json, links node_modules, then removes write bits. */
export async function readOnlyAppCopy(distParts: string[]): Promise<ReadOnlyApp> {
  for (const part of distParts) {
    if (!existsSync(join(REPOSITORY_ROOT, 'dist', part))) {
      throw new Error(`dist/${part} is missing: build it first (npx tsc -p tsconfig.<area>.json && node scripts/copy-assets.mjs)`);
    }
  }
  const root = await mkdtemp(join(tmpdir(), 'read-only-app-'));
  for (const part of distParts) await cp(join(REPOSITORY_ROOT, 'dist', part), join(root, 'dist', part), { recursive: true });
  await cp(join(REPOSITORY_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  await cp(join(REPOSITORY_ROOT, 'package.json'), join(root, 'package.json'));
  await symlink(join(REPOSITORY_ROOT, 'node_modules'), join(root, 'node_modules'));
  // r-x for directories, r-- for files: readable by any UID, writable by none (root bypasses, which is
  // why the processes under test run with another UID).
  await chmodTree(join(root, 'dist'), (dir) => (dir ? 0o555 : 0o444));
  await chmodTree(join(root, 'bin'), (dir) => (dir ? 0o555 : 0o444));
  await chmod(join(root, 'package.json'), 0o444);
  await chmod(root, 0o555);
  return {
    root,
    async remove() {
      await chmodTree(root, (dir) => (dir ? 0o755 : 0o644)).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The UID OpenShift's restricted SCC typically assigns (namespace range 1000790000/10000), group 0. */
export const ARBITRARY_UID = 1000790000;

/** `setpriv` arguments that run `command` as the arbitrary UID with group 0 and no supplementary groups. */
export function asArbitraryUid(command: string, args: string[]): { command: string; args: string[] } {
  return {
    command: 'setpriv',
    args: ['--reuid', String(ARBITRARY_UID), '--regid', '0', '--clear-groups', '--', command, ...args],
  };
}
