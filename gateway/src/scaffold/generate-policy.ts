/**
 * `apicast generate policy NAME [DIR]`: writes `<dir>/<name>/<version>/`
 * (the custom policy layout of APICAST_POLICY_LOAD_PATH, policies.md §3.2)
 * with apicast-policy.json, index.js and index.test.js. Refuses names that
 * are not a single folder name and never overwrites an existing policy.
 */
import { mkdir, writeFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { indexFile, manifestFile, testFile } from './policy-templates.js';

export const DEFAULT_POLICY_VERSION = '0.1';
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const VERSION = /^(\d+\.)?(\d+\.)?(\*|\d+)$/;

export class GeneratePolicyError extends Error {}

export interface GeneratedPolicy {
  directory: string;
  files: string[];
}

export async function generatePolicy(name: string, dir: string, version = DEFAULT_POLICY_VERSION): Promise<GeneratedPolicy> {
  if (!NAME.test(name))
    throw new GeneratePolicyError(`policy name "${name}" must start with a letter and contain only letters, digits, _ and -`);
  if (!VERSION.test(version)) throw new GeneratePolicyError(`policy version "${version}" must look like 1, 1.2 or 1.2.3`);
  const directory = resolve(dir, name, version);
  const exists = await access(directory).then(
    () => true,
    () => false,
  );
  if (exists) throw new GeneratePolicyError(`${directory} already exists; not overwriting it`);
  await mkdir(directory, { recursive: true });
  const values = { name, version };
  const files: [string, string][] = [
    ['apicast-policy.json', manifestFile(values)],
    ['index.js', indexFile(values)],
    ['index.test.js', testFile(values)],
  ];
  for (const [file, content] of files) await writeFile(join(directory, file), content, { flag: 'wx' });
  return { directory, files: files.map(([file]) => join(directory, file)) };
}

/** Argument handling for the CLI: `policy NAME [DIR]`; returns the exit code. */
export async function generateCommand(
  args: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const [kind, name, dir = 'policies'] = args;
  if (kind !== 'policy' || !name) {
    err('usage: apicast generate policy NAME [DIRECTORY (default: policies)]');
    return 2;
  }
  try {
    const generated = await generatePolicy(name, dir);
    out(`policy ${name} generated in ${generated.directory}:`);
    for (const file of generated.files) out(`  ${file}`);
    out(`add ${resolve(dir)} to APICAST_POLICY_LOAD_PATH and reference it as {"name": "${name}", "version": "${DEFAULT_POLICY_VERSION}"}`);
    return 0;
  } catch (error) {
    if (error instanceof GeneratePolicyError) {
      err(`apicast generate: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
