/**
 * Builds a service's policy chain when a configuration is loaded (policies.md
 * §1.6, §3.3, §3.4 and the spec README decisions): unknown policies are
 * dropped with a warning and counted; a known policy whose configuration
 * fails its schema, or whose factory refuses it, rejects the whole
 * configuration with a ConfigurationError naming service, policy and field.
 */
import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import type { PolicyChainEntryJson, ServiceJson } from '../config/types.js';
import { ConfigurationError } from '../config/errors.js';
import type { GatewayHooks } from '../telemetry/hooks.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { describeErrors } from './ajv.js';
import { PolicyChain, type ChainEntry } from './chain.js';
import { PolicyConfigurationError, type Policy } from './policy.js';
import type { PolicyRegistry } from './registry.js';
import type { PolicyManifest } from './manifest.js';
import { chainHasOnFailed, failedPolicyEntry, isOnFailed } from './on-failed.js';

/** Policies the cloud-hosted profile denies (gateway.md §9.1). */
export const CLOUD_HOSTED_DENIED = new Set([
  'rate_limit',
  'token_introspection',
  '3scale_batcher',
  'conditional',
  'logging',
  'retry',
  'upstream_connection',
  'liquid_context_debug',
  'request_unbuffered',
]);

export interface ChainBuildOptions {
  registry: PolicyRegistry;
  settings: Settings;
  log: Logger;
  hooks: GatewayHooks;
  runtime: GatewayRuntime;
  service: ServiceJson | undefined;
  serviceId: string | undefined;
  /** JSON path of the chain for error messages, e.g. `services[0].proxy.policy_chain`. */
  field: string;
  /** Set for chains nested in a chain holding on_failed: load failures become guard entries (chain/on-failed.ts). */
  tolerateFailures?: boolean;
}

export const DEFAULT_CHAIN: readonly PolicyChainEntryJson[] = [{ name: 'apicast', version: 'builtin', configuration: {} }];

export async function buildChain(entries: readonly PolicyChainEntryJson[], options: ChainBuildOptions): Promise<PolicyChain> {
  const built: ChainEntry[] = [];
  const manifests: PolicyManifest[] = [];
  const serviceLabel = options.serviceId === undefined ? 'global chain' : `service ${options.serviceId}`;
  // on_failed here or around this chain: a failed policy must fail the requests, not vanish or reject the configuration.
  const tolerant = options.tolerateFailures === true || chainHasOnFailed(entries);
  const failed = (name: string, version: string, reason: string): void => {
    options.log.error(
      { service: options.serviceId, policy: name },
      `policy ${name} failed to load (${serviceLabel}): ${reason}; on_failed answers its requests`,
    );
    built.push(failedPolicyEntry(name, version, reason));
    manifests.push({ name, version, summary: reason, configuration: {} });
  };
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const field = `${options.field}[${i}]`;
    const version = entry.version ?? 'builtin';
    const name = entry.name;
    const shortName = name.startsWith('apicast.policy.') ? name.slice('apicast.policy.'.length) : name;
    if (options.settings.cloudHosted && CLOUD_HOSTED_DENIED.has(shortName)) {
      throw new ConfigurationError(`${field}.name`, `${serviceLabel}: policy ${shortName} is not allowed in the cloud-hosted profile`);
    }
    const loaded = await options.registry.find(name, version);
    if (!loaded) {
      if (tolerant) {
        options.hooks.policyLoadError(name);
        failed(name, version, 'unknown policy');
        continue;
      }
      options.log.warn(
        { service: options.serviceId, policy: name, version },
        `failed to load policy: ${name} version: ${version} (${serviceLabel}); it is dropped from the chain`,
      );
      options.hooks.policyLoadError(name);
      continue;
    }
    const configuration = entry.configuration ?? {};
    if (!loaded.validate(configuration)) {
      // on_failed's own configuration is never tolerated: nobody would answer for it.
      if (tolerant && !isOnFailed(name)) {
        failed(loaded.name, loaded.version, describeErrors(loaded.validate.errors, 'configuration'));
        continue;
      }
      throw new ConfigurationError(
        `${field}.configuration`,
        `${serviceLabel}, policy ${loaded.name}: ${describeErrors(loaded.validate.errors, 'configuration')}`,
      );
    }
    let instance: Policy | undefined;
    try {
      const policy = (instance = await loaded.factory(configuration, {
        settings: options.settings,
        log: options.log.child({ policy: loaded.name, service: options.serviceId }),
        service: options.service,
        serviceId: options.serviceId,
        policy: { name: loaded.name, version: loaded.version, manifest: loaded.manifest },
        hooks: options.hooks,
        runtime: options.runtime,
        buildChain: (nested, nestedField) =>
          buildChain(nested, { ...options, tolerateFailures: tolerant, field: `${field}.configuration.${nestedField}` }),
      }));
      await policy.init?.();
      await policy.init_worker?.();
      built.push({ name: loaded.name, version: loaded.version, policy });
      manifests.push(loaded.manifest);
    } catch (error) {
      if (tolerant) {
        // Built but failed in init: it never serves, release what it holds.
        await new PolicyChain(instance ? [{ name: loaded.name, version: loaded.version, policy: instance }] : []).dispose((policy, err) => {
          options.log.warn({ err, policy }, 'dispose failed');
        });
        failed(loaded.name, loaded.version, (error as Error).message);
        continue;
      }
      // The configuration is rejected: policies built so far will never serve.
      await new PolicyChain(built).dispose((policy, err) => {
        options.log.warn({ err, policy }, 'dispose failed');
      });
      // A nested chain's error already names its own full path.
      if (error instanceof ConfigurationError) throw error;
      const detail =
        error instanceof PolicyConfigurationError
          ? `configuration.${error.field}: ${error.message.slice(error.field.length + 2)}`
          : (error as Error).message;
      throw new ConfigurationError(`${field}.configuration`, `${serviceLabel}, policy ${loaded.name}: ${detail}`);
    }
  }
  warnOrder(built, manifests, options);
  return new PolicyChain(built);
}

/** Manifest `order` constraints only produce warnings (policies.md §3.4). */
function warnOrder(entries: readonly ChainEntry[], manifests: readonly PolicyManifest[], options: ChainBuildOptions): void {
  const position = (name: string): number => entries.findIndex((e) => e.name === name);
  for (const [index, entry] of entries.entries()) {
    const manifest = manifests.at(index);
    for (const other of manifest?.order?.before ?? []) {
      const at = position(other.name);
      if (at >= 0 && at < index)
        options.log.warn(`${entry.name} (version: ${entry.version}) should be placed before ${other.name} (version: ${other.version})`);
    }
    for (const other of manifest?.order?.after ?? []) {
      const at = position(other.name);
      if (at > index)
        options.log.warn(`${entry.name} (version: ${entry.version}) should be placed after ${other.name} (version: ${other.version})`);
    }
  }
}
