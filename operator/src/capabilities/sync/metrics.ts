// Metrics, methods and mapping rules: the part of a Backend and of a Product that is the same. The hits metric is
// 3scale's and always exists; methods are its children. Backend metrics come back from 3scale with the backend id
// appended to the system name ("hits.7"), which is stripped to compare.
import type { FieldError } from '../../model/types.js';
import type { MappingRuleSpec } from '../api/kinds.js';
import type { ThreescaleClient } from '../threescale/client.js';
import type { MappingRule, Metric } from '../threescale/types.js';
import { applyPlan, type CollectionPaths } from './apply-plan.js';
import { planCollection, type DesiredItem, type ExistingItem } from './collection.js';
import type { WriteLog } from './writes.js';

export interface MetricsSpec {
  metrics?: Record<string, { friendlyName: string; unit: string; description?: string }>;
  methods?: Record<string, { friendlyName: string; description?: string }>;
  mappingRules?: MappingRuleSpec[];
}

export interface MetricPaths {
  metrics: string;
  metric: (id: number) => string;
  methods: (hits: number) => string;
  method: (hits: number) => (id: number) => string;
  rules: string;
  rule: (id: number) => string;
  /** Backends' metric system names carry ".<backend id>". */
  suffix?: string;
}

/** Checks that rules count declared metrics and that no name is both a metric and a method. */
export function validateMetrics(spec: MetricsSpec, field = 'spec'): FieldError[] {
  const problems: FieldError[] = [];
  const metrics = new Set(['hits', ...Object.keys(spec.metrics ?? {})]);
  for (const name of Object.keys(spec.methods ?? {})) {
    if (metrics.has(name))
      problems.push({ path: `${field}.methods.${name}`, reason: 'is also a metric: a system name can be a metric or a method, not both' });
  }
  const known = new Set([...metrics, ...Object.keys(spec.methods ?? {})]);
  const seen = new Set<string>();
  (spec.mappingRules ?? []).forEach((rule, index) => {
    if (!known.has(rule.metricMethodRef))
      problems.push({
        path: `${field}.mappingRules[${index}].metricMethodRef`,
        reason: `no metric or method "${rule.metricMethodRef}" (declare it in metrics or methods)`,
      });
    const key = ruleKey(rule.httpMethod, rule.pattern);
    if (seen.has(key)) problems.push({ path: `${field}.mappingRules[${index}]`, reason: `duplicate rule ${key}` });
    seen.add(key);
  });
  return problems;
}

export const ruleKey = (method: string, pattern: string): string => `${method.toUpperCase()} ${pattern}`;

const baseName = (name: string, suffix: string | undefined): string =>
  suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;

function metricItems(metrics: Metric[], suffix: string | undefined): ExistingItem[] {
  return metrics.map((m) => ({ id: m.id, key: baseName(m.system_name, suffix), values: m }));
}

/** The metrics a CR declares, as 3scale items (system_name is sent on create only: 3scale never changes it). Pure. */
export function desiredMetrics(spec: MetricsSpec): DesiredItem[] {
  return Object.entries(spec.metrics ?? {}).map(([name, m]) => ({
    key: name,
    fields: { friendly_name: m.friendlyName, unit: m.unit, description: m.description },
    createOnly: { system_name: name },
  }));
}

/** The methods a CR declares (children of hits). Pure. */
export function desiredMethods(spec: MetricsSpec): DesiredItem[] {
  return Object.entries(spec.methods ?? {}).map(([name, m]) => ({
    key: name,
    fields: { friendly_name: m.friendlyName, description: m.description },
    createOnly: { system_name: name },
  }));
}

/** The mapping rules a CR declares, with their metric resolved to its 3scale id. Pure. */
export function desiredRules(rules: readonly MappingRuleSpec[], ids: ReadonlyMap<string, number>): DesiredItem[] {
  return rules.map((rule) => ({
    key: ruleKey(rule.httpMethod, rule.pattern),
    fields: { metric_id: ids.get(rule.metricMethodRef), delta: rule.increment, last: rule.last ?? false },
    createOnly: { http_method: rule.httpMethod, pattern: rule.pattern },
  }));
}

/** Syncs metrics, methods and rules; answers system name → id for every metric and method (for limits). */
export async function syncMetricsAndRules(
  client: ThreescaleClient,
  paths: MetricPaths,
  spec: MetricsSpec,
  log: WriteLog,
): Promise<Map<string, number>> {
  const all = await client.list<Metric>(paths.metrics, 'metrics', 'metric');
  const topLevel = all.filter((m) => m.parent_id === undefined || m.parent_id === null);
  const ids = new Map(metricItems(topLevel, paths.suffix).map((m) => [m.key, m.id]));
  const hits = ids.get('hits');
  if (hits === undefined) throw new Error('3scale has no hits metric for this object');

  const wantedMetrics = desiredMetrics(spec);
  const metricPaths: CollectionPaths = { collection: paths.metrics, item: paths.metric, itemKey: 'metric', noun: 'metric' };
  // hits is kept whatever the CR says; its fields are updated only if the CR declares it.
  const createdMetrics = await applyPlan(
    client,
    metricPaths,
    planCollection(wantedMetrics, metricItems(topLevel, paths.suffix), (m) => m.key === 'hits'),
    log,
  );
  for (const [name, id] of createdMetrics) ids.set(name, id);

  const methods = await client.list<Metric>(paths.methods(hits), 'methods', 'method');
  for (const m of metricItems(methods, paths.suffix)) ids.set(m.key, m.id);
  const wantedMethods = desiredMethods(spec);
  const methodPaths: CollectionPaths = { collection: paths.methods(hits), item: paths.method(hits), itemKey: 'method', noun: 'method' };
  const methodPlan = planCollection(wantedMethods, metricItems(methods, paths.suffix));
  for (const { key } of methodPlan.remove) ids.delete(key);
  const createdMethods = await applyPlan(client, methodPaths, methodPlan, log);
  for (const [name, id] of createdMethods) ids.set(name, id);

  await syncRules(client, paths, spec.mappingRules ?? [], ids, log);
  return ids;
}

async function syncRules(
  client: ThreescaleClient,
  paths: MetricPaths,
  rules: MappingRuleSpec[],
  ids: Map<string, number>,
  log: WriteLog,
): Promise<void> {
  const existing = await client.list<MappingRule>(paths.rules, 'mapping_rules', 'mapping_rule');
  const wanted = desiredRules(rules, ids);
  const items = existing.map((r) => ({ id: r.id, key: ruleKey(r.http_method, r.pattern), values: r }));
  await applyPlan(
    client,
    { collection: paths.rules, item: paths.rule, itemKey: 'mapping_rule', noun: 'mapping rule', updateMethod: 'PATCH' },
    planCollection(wanted, items),
    log,
  );
}
