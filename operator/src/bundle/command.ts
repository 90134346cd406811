// `threescale-operator bundle [--out <dir>]` (default `manifests`): writes <dir>/bundle/.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBundle } from './generate.js';

export async function writeBundle(outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const [file, text] of generateBundle()) {
    const path = join(outDir, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}

/** Sets the exit code itself (the CLI dispatcher is synchronous): 2 for a usage error, 1 for a failure. */
export async function bundleCommand(argv: string[]): Promise<void> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string', default: 'manifests' } },
      strict: true,
      allowPositionals: false,
    });
    for (const path of await writeBundle(values.out)) process.stdout.write(`wrote ${path}\n`);
  } catch (error) {
    const usage = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
    process.stderr.write(
      `error: bundle: ${error instanceof Error ? error.message : String(error)}\n${usage ? 'usage: threescale-operator bundle [--out DIR]\n' : ''}`,
    );
    process.exitCode = usage ? 2 : 1;
  }
}
