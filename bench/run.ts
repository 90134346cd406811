/**
 * `make bench`: runs every benchmark area that exists (dist/bench/<area>/run.js,
 * each exporting `run(): Promise<void>` that prints its figures), one after the
 * other so they do not compete for the machine's cores.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const areas = (await readdir(here, { withFileTypes: true }))
  .filter((e) => e.isDirectory() && (only.length === 0 || only.includes(e.name)))
  .map((e) => e.name)
  .sort();

/** A benchmark area's run.js: it exports `run()`. */
function isArea(mod: unknown): mod is { run: () => Promise<void> } {
  return typeof mod === 'object' && mod !== null && 'run' in mod && typeof mod.run === 'function';
}

for (const area of areas) {
  const entry = join(here, area, 'run.js');
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch {
    continue; // a folder without run.js holds helpers only
  }
  if (!isArea(mod)) continue;
  console.log(`\n# bench: ${area}`);
  await mod.run();
}
