/**
 * One source for each policy's configuration shape: the `configuration`
 * JSON Schema of its `apicast-policy.json`. This turns it into
 * `<name>/config.generated.ts` (`export interface <Pascal>Config`) with
 * json-schema-to-typescript, so that the factory's parameter type cannot
 * drift from what the gateway validates with ajv before calling it.
 *
 * Run with `make policy-types` (it runs from dist/ after the build, and
 * writes into the source tree); config-types.test.ts fails when a committed
 * file differs from what this produces.
 *
 * The manifests are copied and adjusted before compiling, because they are
 * written for APIcast's UI form (react-jsonschema-form) more than for types:
 * - `title` is a UI label ("Embedded certificate"), which the library would
 *   turn into a type name; it becomes the doc comment instead, and the
 *   generator names object and enum types by their path (below).
 * - `dependencies` (draft-07) adds fields when a discriminator has a value
 *   (`auth_type: user_key` ⇒ `user_key`); the library ignores it, so those
 *   fields are hoisted to the parent as optional properties. Which of them
 *   is present stays the policy's own runtime check, as in APIcast.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compile, type Options } from 'json-schema-to-typescript';

/** The source folder, not dist/: this runs from dist/gateway/policies/, three levels below the repo root. */
export const POLICIES_SOURCE_DIR = fileURLToPath(new URL('../../../gateway/policies/', import.meta.url));

export const GENERATED_FILE = 'config.generated.ts';
export const REGENERATE_COMMAND = 'make policy-types';

const BANNER = `// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (${REGENERATE_COMMAND}), do not edit`;

const OPTIONS: Partial<Options> = {
  bannerComment: BANNER,
  // APIcast's manifests leave objects open (ajv accepts unknown fields), so
  // the types do too: `[k: string]: unknown` makes an undeclared field
  // readable only as `unknown`, which a policy cannot use without a check.
  additionalProperties: true,
  unknownAny: true,
  // `minItems: 1` would become tuple types (`[T, ...T[]]`): ajv checks the
  // length, the code needs arrays.
  ignoreMinAndMaxItems: true,
  // Manifests often declare `definitions` for the UI that nothing references.
  unreachableDefinitions: false,
  // String unions, not enums: the code compares with literals.
  enableConstEnums: false,
  style: { singleQuote: true, printWidth: 120, semi: true, bracketSpacing: true, tabWidth: 2, trailingComma: 'all' },
};

/** `3scale_batcher` ⇒ `ThreescaleBatcher`, `cloud_hosted.upstream` ⇒ `CloudHostedUpstream`. */
export function pascalName(policy: string): string {
  return policy
    .replace(/^3scale/, 'threescale')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/** `rules` ⇒ `Rule`, `policies` ⇒ `Policy`, `http_statuses` ⇒ `HttpStatus`: the name of one item of an array field. */
function singular(pascal: string): string {
  if (pascal.endsWith('ies')) return `${pascal.slice(0, -3)}y`;
  if (pascal.endsWith('uses')) return pascal.slice(0, -2); // statuses
  if (pascal.endsWith('s') && !pascal.endsWith('ss')) return pascal.slice(0, -1);
  return `${pascal}Item`;
}

/** The library's input type (@types/json-schema's draft-04 type, which also reads draft-07 manifests). */
type Schema = Parameters<typeof compile>[0];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Object with fields, or enum: worth a named type. */
function deservesName(schema: Schema): boolean {
  return (schema.type === 'object' && isObject(schema.properties)) || (Array.isArray(schema.enum) && schema.enum.length > 1);
}

/** Fields a `dependencies` entry adds, from its own `properties` and each `oneOf`/`anyOf` branch. */
function dependentProperties(dependency: Schema): [string, Schema][] {
  const found: [string, Schema][] = [];
  const branches = [dependency, ...(dependency.oneOf ?? []), ...(dependency.anyOf ?? [])];
  for (const branch of branches) {
    if (!isObject(branch.properties)) continue;
    for (const [key, value] of Object.entries(branch.properties)) found.push([key, value]);
  }
  return found;
}

/** Hoists `dependencies` fields into `properties` (optional); several different declarations of one field become anyOf. */
function hoistDependencies(schema: Schema): void {
  if (!isObject(schema.dependencies)) return;
  const properties: Record<string, Schema> = { ...(schema.properties ?? {}) };
  const hoisted = new Map<string, Schema[]>();
  for (const dependency of Object.values(schema.dependencies)) {
    if (!isObject(dependency)) continue; // a property dependency (list of names) adds no field
    for (const [key, value] of dependentProperties(dependency)) {
      if (key in properties) continue; // the discriminator itself, already declared
      const variants = hoisted.get(key) ?? [];
      if (!variants.some((v) => JSON.stringify(v) === JSON.stringify(value))) variants.push(value);
      hoisted.set(key, variants);
    }
  }
  for (const [key, variants] of hoisted) properties[key] = variants.length === 1 ? variants[0] : { anyOf: variants };
  schema.properties = properties;
  delete schema.dependencies;
}

/**
 * `{type: string, oneOf: [{enum: [a], title: …}, {enum: [b], title: …}]}` is
 * how APIcast gives each enum value a UI label; as one `enum` it becomes a
 * plain string union instead of `('a' | 'b') & string`.
 */
function collapseEnumBranches(schema: Schema): void {
  const branches = schema.oneOf ?? schema.anyOf;
  if (!branches || branches.length === 0) return;
  const onlyEnums = branches.every(
    (b) => Array.isArray(b.enum) && Object.keys(b).every((k) => ['enum', 'title', 'description'].includes(k)),
  );
  if (!onlyEnums) return;
  schema.enum = branches.flatMap((b) => b.enum ?? []);
  delete schema.oneOf;
  delete schema.anyOf;
}

/**
 * Moves UI titles into doc comments and names objects/enums by path; recursive, in place.
 * `name` prefixes what is nested; `titled` is false where the library names the node itself
 * (a definition, by its key: `operation` ⇒ `Operation`; a title would add an alias) or where it
 * stays inline (a oneOf/anyOf/allOf branch, part of its parent's union).
 */
function prepare(schema: Schema, name: string, titled = true): void {
  if (typeof schema.title === 'string') {
    if (schema.description === undefined) schema.description = schema.title;
    delete schema.title;
  }
  hoistDependencies(schema);
  collapseEnumBranches(schema);
  if (titled && deservesName(schema)) schema.title = name;
  if (isObject(schema.properties)) {
    for (const [key, value] of Object.entries(schema.properties)) prepare(value, `${name}${pascalName(key)}`);
  }
  if (isObject(schema.definitions)) {
    for (const [key, value] of Object.entries(schema.definitions)) prepare(value, pascalName(key), false);
  }
  if (isObject(schema.items)) prepare(schema.items, singular(name));
  if (isObject(schema.additionalProperties)) prepare(schema.additionalProperties, `${name}Value`);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) for (const branch of schema[key] ?? []) prepare(branch, name, false);
}

/** The TypeScript source of one policy's config.generated.ts. */
export async function configTypesSource(policy: string, configuration: Schema): Promise<string> {
  const schema = structuredClone(configuration);
  const root = pascalName(policy);
  prepare(schema, root);
  schema.title = `${root}Config`;
  return compile(schema, `${root}Config`, { ...OPTIONS, cwd: POLICIES_SOURCE_DIR });
}

/** Every builtin policy folder that has a manifest (folders without one are internal: no schema, no type). */
export async function generateConfigTypes(dir = POLICIES_SOURCE_DIR): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const folders = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const policy of folders) {
    let manifest: { configuration: Schema };
    try {
      manifest = JSON.parse(await readFile(join(dir, policy, 'apicast-policy.json'), 'utf8')) as { configuration: Schema };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    out.set(policy, await configTypesSource(policy, manifest.configuration));
  }
  return out;
}

async function main(): Promise<void> {
  const generated = await generateConfigTypes();
  for (const [policy, source] of generated) await writeFile(join(POLICIES_SOURCE_DIR, policy, GENERATED_FILE), source);
  process.stdout.write(`wrote ${generated.size} ${GENERATED_FILE} files under gateway/policies/\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
