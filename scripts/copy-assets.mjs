// tsc only emits JavaScript; the gateway and the operator also read JSON and
// YAML assets at run time (policy manifests, schemas, example configs). Copy
// every such file from the source folders into dist/ at the same path.
import { cp, readdir, mkdir } from 'node:fs/promises';
import { join, dirname, extname } from 'node:path';

const roots = ['gateway', 'operator', 'test'];
const assetExtensions = new Set(['.json', '.yaml', '.yml', '.liquid', '.pem', '.conf', '.js']);

async function walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      await walk(path);
    } else if (assetExtensions.has(extname(entry.name))) {
      const target = join('dist', path);
      await mkdir(dirname(target), { recursive: true });
      await cp(path, target);
    }
  }
}

for (const root of roots) await walk(root);
