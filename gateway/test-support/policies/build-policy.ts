/**
 * Builds policies the way the gateway does (real registry over the compiled
 * builtin folder, manifest schema validation, factory call), so a policy
 * test also proves its manifest and its load-time checks.
 */
import { pino } from 'pino';
import { PolicyRegistry } from '../../src/chain/registry.js';
import { buildChain } from '../../src/chain/build.js';
import type { PolicyChain } from '../../src/chain/chain.js';
import type { Policy } from '../../src/chain/policy.js';
import type { PolicyChainEntryJson, ServiceJson } from '../../src/config/types.js';
import { parseSettings, type Settings } from '../../src/settings.js';
import { noopHooks } from '../../src/telemetry/hooks.js';
import { GatewayRuntime } from '../../src/runtime/gateway-runtime.js';

const silent = pino({ level: 'silent' });
let registry: Promise<PolicyRegistry> | undefined;

let runtime = new GatewayRuntime();

/** The runtime the policies built here share, like the policies of one gateway. */
export function testRuntime(): GatewayRuntime {
  return runtime;
}

/** Closes what the built policies opened (Redis clients, backend pools); later builds get a fresh runtime. */
export async function closeTestRuntime(): Promise<void> {
  const closing = runtime;
  runtime = new GatewayRuntime();
  await closing.close();
}

export function builtinRegistry(): Promise<PolicyRegistry> {
  registry ??= PolicyRegistry.load({ log: silent, loadPath: [] });
  return registry;
}

export async function buildTestChain(
  entries: PolicyChainEntryJson[],
  service?: ServiceJson,
  settings: Settings = parseSettings({}),
): Promise<PolicyChain> {
  return buildChain(entries, {
    registry: await builtinRegistry(),
    settings,
    log: silent,
    hooks: noopHooks,
    runtime,
    service,
    serviceId: service?.id === undefined || service.id === null ? '1' : String(service.id),
    field: 'services[0].proxy.policy_chain',
  });
}

/**
 * One builtin policy built from `configuration`; rejects with the gateway's
 * ConfigurationError when invalid. `settings` defaults to an empty environment.
 */
export async function buildPolicy(name: string, configuration: Record<string, unknown> = {}, settings?: Settings): Promise<Policy> {
  const chain = await buildTestChain([{ name, version: 'builtin', configuration }], undefined, settings);
  const entry = chain.entries.at(0);
  if (!entry) throw new Error(`policy ${name} was dropped from the chain (unknown to the registry?)`);
  return entry.policy;
}
