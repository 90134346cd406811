// `threescale-operator templates [--out <dir>]` (default `templates`): regenerates the OpenShift templates.
// Sets the exit code itself (the CLI dispatcher is synchronous): 2 for a usage error, 1 for a failure.
import { parseArgs } from 'node:util';
import { writeTemplates } from './write.js';

export async function templatesCommand(argv: string[]): Promise<void> {
  try {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string', default: 'templates' } }, strict: true, allowPositionals: false });
    for (const path of await writeTemplates(values.out)) process.stdout.write(`wrote ${path}\n`);
  } catch (error) {
    const usage = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
    process.stderr.write(`error: templates: ${error instanceof Error ? error.message : String(error)}\n${usage ? 'usage: threescale-operator templates [--out DIR]\n' : ''}`);
    process.exitCode = usage ? 2 : 1;
  }
}
