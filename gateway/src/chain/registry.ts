/**
 * Policy discovery (policies.md §3.2, spec README "policy modules"): builtin
 * policies are `<name>/` in the gateway's policies folder (version `builtin`),
 * custom ones `<root>/<name>/<version>/` under each APICAST_POLICY_LOAD_PATH
 * root. Each folder holds `apicast-policy.json` and `index.js`.
 *
 * Custom policies are loaded at boot (their module-level init runs then, and
 * a broken folder is reported at once). Builtins are ours and tested, so they
 * load on first use: a configuration that names two policies imports and
 * compiles two, not the whole catalogue; that is most of the boot time saved.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { Ajv, ValidateFunction } from 'ajv';
import { createAjv } from './ajv.js';
import { MANIFEST_SCHEMA, type PolicyManifest } from './manifest.js';
import type { PolicyFactory } from './policy.js';

export interface LoadedPolicy {
  readonly name: string;
  readonly version: string;
  readonly manifest: PolicyManifest;
  readonly factory: PolicyFactory;
  readonly validate: ValidateFunction;
  readonly directory: string;
  readonly builtin: boolean;
  /** Builtin folder without a manifest (policies.md §6): loadable by name, not listed by /policies, configuration unchecked beyond being an object. */
  readonly internal: boolean;
}

/** dist/gateway/src/chain → dist/gateway/policies */
export const BUILTIN_POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

const BUILTIN_PREFIX = 'apicast.policy.';

/**
 * Policies the original ships outside its builtin folder, at a fixed version
 * (policies.md §7: the cloud-hosted profile's `cloud_hosted.<name>` v`0.1`).
 * SaaS configurations name them with that version; ours are builtins, so
 * that exact version resolves to the builtin folder of the same name.
 */
const BUILTIN_ALIAS_VERSIONS: ReadonlyMap<string, string> = new Map([['cloud_hosted.', '0.1']]);

function isBuiltinAlias(name: string, version: string): boolean {
  for (const [prefix, aliasVersion] of BUILTIN_ALIAS_VERSIONS) if (name.startsWith(prefix) && version === aliasVersion) return true;
  return false;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function listDirectories(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** A builtin folder found at boot, loaded (imported, schema compiled) when a chain first names it. */
interface BuiltinFolder {
  readonly directory: string;
  loaded?: Promise<LoadedPolicy | undefined>;
}

/** A builtin's manifest, or undefined for a folder without one (an internal policy, not listed). */
async function readManifest(directory: string): Promise<PolicyManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(directory, 'apicast-policy.json'), 'utf8')) as PolicyManifest;
  } catch {
    return undefined;
  }
}

export class PolicyRegistry {
  private readonly builtins = new Map<string, BuiltinFolder>();
  /** `name@version` → first found along the load path. */
  private readonly customs = new Map<string, LoadedPolicy>();
  /** Builtin schemas are ours (checked by ajv.test.ts); custom ones are checked against the meta-schema. */
  private readonly ajvs: { builtin?: Ajv; custom?: Ajv } = {};
  private validateManifestFn: ValidateFunction | undefined;

  private constructor(private readonly log: Logger) {}

  /** Finds every builtin policy folder and loads every custom one on the load path. Broken folders are logged and skipped. */
  static async load(options: { log: Logger; loadPath: readonly string[]; builtinDir?: string }): Promise<PolicyRegistry> {
    const registry = new PolicyRegistry(options.log);
    const builtinDir = options.builtinDir ?? BUILTIN_POLICIES_DIR;
    for (const name of await listDirectories(builtinDir)) registry.builtins.set(name, { directory: join(builtinDir, name) });
    for (const root of options.loadPath) {
      const absoluteRoot = resolve(root);
      for (const name of await listDirectories(absoluteRoot)) {
        for (const version of await listDirectories(join(absoluteRoot, name))) {
          const key = `${name}@${version}`;
          if (registry.customs.has(key)) continue; // earlier roots win
          const loaded = await registry.loadFolder(join(absoluteRoot, name, version), name, version, false);
          if (loaded) registry.customs.set(key, loaded);
        }
      }
    }
    return registry;
  }

  private ajvFor(builtin: boolean): Ajv {
    if (builtin) return (this.ajvs.builtin ??= createAjv({ trusted: true }));
    return (this.ajvs.custom ??= createAjv());
  }

  private get validateManifest(): ValidateFunction {
    this.validateManifestFn ??= this.ajvFor(true).compile(MANIFEST_SCHEMA);
    return this.validateManifestFn;
  }

  private builtin(name: string): Promise<LoadedPolicy | undefined> {
    const folder = this.builtins.get(name);
    if (!folder) return Promise.resolve(undefined);
    folder.loaded ??= this.loadFolder(folder.directory, name, 'builtin', true);
    return folder.loaded;
  }

  /**
   * Lookup (policies.md §3.2): custom roots first, then — only for `builtin`,
   * or a cloud-hosted policy at its original version `0.1` — the builtin folder.
   */
  async find(name: string, version = 'builtin'): Promise<LoadedPolicy | undefined> {
    if (name.startsWith(BUILTIN_PREFIX)) return this.builtin(name.slice(BUILTIN_PREFIX.length));
    const custom = this.customs.get(`${name}@${version}`);
    if (custom) return custom;
    return version === 'builtin' || isBuiltinAlias(name, version) ? this.builtin(name) : undefined;
  }

  /**
   * GET /policies body content: manifests keyed by folder name (builtin
   * first, then custom versions). Reads the builtin manifests only: listing
   * the catalogue imports no policy code.
   */
  async manifests(): Promise<Record<string, PolicyManifest[]>> {
    const out: Record<string, PolicyManifest[]> = {};
    for (const [name, folder] of this.builtins) {
      const manifest = await readManifest(folder.directory);
      if (manifest) (out[name] ??= []).push(manifest);
    }
    for (const p of this.customs.values()) (out[p.name] ??= []).push(p.manifest);
    return out;
  }

  private async loadFolder(directory: string, name: string, version: string, builtin: boolean): Promise<LoadedPolicy | undefined> {
    const where = `${name} (version: ${version}) at ${directory}`;
    let manifest: PolicyManifest;
    let internal = false;
    try {
      manifest = JSON.parse(await readFile(join(directory, 'apicast-policy.json'), 'utf8')) as PolicyManifest;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (builtin && missing && (await isFile(join(directory, 'index.js')))) {
        // Internal policies (policies.md §6) have no manifest.
        internal = true;
        manifest = { name, summary: `internal policy ${name}`, version: 'builtin', configuration: { type: 'object' } };
      } else {
        if (builtin && !(await isDirectory(directory))) return undefined;
        this.log.warn({ policy: name, version }, `policy ${where} skipped: cannot read apicast-policy.json: ${(error as Error).message}`);
        return undefined;
      }
    }
    if (!this.validateManifest(manifest)) {
      this.log.warn(
        { policy: name, version },
        `policy ${where} skipped: invalid manifest: ${this.ajvFor(true).errorsText(this.validateManifest.errors)}`,
      );
      return undefined;
    }
    if (manifest.version !== version) {
      this.log.warn({ policy: name, version }, `policy ${where} skipped: manifest version "${manifest.version}" differs from its folder`);
      return undefined;
    }
    let validate: ValidateFunction;
    try {
      validate = this.ajvFor(builtin).compile(manifest.configuration);
    } catch (error) {
      this.log.warn(
        { policy: name, version },
        `policy ${where} skipped: its configuration schema does not compile: ${(error as Error).message}`,
      );
      return undefined;
    }
    let factory: PolicyFactory;
    try {
      const module = (await import(pathToFileURL(join(directory, 'index.js')).href)) as {
        default?: unknown;
        init?: () => unknown;
        init_worker?: () => unknown;
      };
      if (typeof module.default !== 'function') throw new Error('index.js has no default export function');
      factory = module.default as PolicyFactory;
      // Module-level init runs once per module, for every available policy (policies.md §1.1).
      await module.init?.();
      await module.init_worker?.();
    } catch (error) {
      this.log.warn({ policy: name, version }, `policy ${where} skipped: cannot load index.js: ${(error as Error).message}`);
      return undefined;
    }
    return { name, version, manifest, factory, validate, directory, builtin, internal };
  }
}
