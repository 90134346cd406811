// What a Product refers to outside itself: Backend CRs (by system name) and the metrics of those backends named
// by plan limits and pricing rules. Pure: given the Backend CRs, it says what is missing (Invalid, nothing is
// written), what is not synced yet (Orphan, wait) and the backend ids.
import type { FieldError } from '../../model/types.js';
import type { BackendSpec, ProductSpec } from '../api/kinds.js';
import type { CapabilityObject } from '../sync/env.js';
import { backendSystemName, type BackendStatus } from '../backend/sync.js';
import { validateMetrics } from '../sync/metrics.js';

export interface ResolvedBackend {
  crName: string;
  systemName: string;
  id: number;
  spec: BackendSpec;
}

export type References = { ok: true; backends: Map<string, ResolvedBackend> } | { ok: false; invalid: FieldError[]; waitingFor: string[] };

const metricNames = (spec: { metrics?: Record<string, unknown>; methods?: Record<string, unknown> }): Set<string> =>
  new Set(['hits', ...Object.keys(spec.metrics ?? {}), ...Object.keys(spec.methods ?? {})]);

export function resolveReferences(spec: ProductSpec, backendCrs: CapabilityObject<BackendSpec, BackendStatus>[]): References {
  const invalid = validateMetrics(spec);
  const waitingFor: string[] = [];
  const account = spec.providerAccountRef?.name ?? '';
  const bySystemName = new Map(
    backendCrs.filter((b) => (b.spec.providerAccountRef?.name ?? '') === account).map((b) => [backendSystemName(b.spec), b]),
  );
  const backends = new Map<string, ResolvedBackend>();
  for (const name of Object.keys(spec.backendUsages ?? {})) {
    const cr = bySystemName.get(name);
    if (!cr) {
      invalid.push({
        path: `spec.backendUsages.${name}`,
        reason: `no Backend CR with system name "${name}" in this namespace and account`,
      });
      continue;
    }
    const id = cr.status?.backendId;
    const synced =
      cr.status &&
      (cr.status as { conditions?: { type: string; status: string }[] }).conditions?.some(
        (c) => c.type === 'Synced' && c.status === 'True',
      );
    if (id === undefined || !synced) {
      waitingFor.push(`Backend ${cr.metadata.name}`);
      continue;
    }
    backends.set(name, { crName: cr.metadata.name, systemName: name, id, spec: cr.spec });
  }
  const productMetrics = metricNames(spec);
  for (const [planName, plan] of Object.entries(spec.applicationPlans ?? {})) {
    const refs = [
      ...(plan.limits ?? []).map((l, i) => ({
        ref: l.metricMethodRef,
        path: `spec.applicationPlans.${planName}.limits[${i}].metricMethodRef`,
      })),
      ...(plan.pricingRules ?? []).map((p, i) => ({
        ref: p.metricMethodRef,
        path: `spec.applicationPlans.${planName}.pricingRules[${i}].metricMethodRef`,
      })),
    ];
    for (const { ref, path } of refs) {
      if (ref.backend === undefined) {
        if (!productMetrics.has(ref.systemName)) invalid.push({ path, reason: `the product has no metric or method "${ref.systemName}"` });
        continue;
      }
      const usages: Partial<Record<string, unknown>> = spec.backendUsages ?? {};
      if (!usages[ref.backend]) {
        invalid.push({ path: `${path}.backend`, reason: `"${ref.backend}" is not in spec.backendUsages` });
        continue;
      }
      const cr = bySystemName.get(ref.backend);
      if (cr && !metricNames(cr.spec).has(ref.systemName))
        invalid.push({ path, reason: `Backend ${cr.metadata.name} has no metric or method "${ref.systemName}"` });
    }
    (plan.pricingRules ?? []).forEach((p, i) => {
      if (p.from > p.to)
        invalid.push({
          path: `spec.applicationPlans.${planName}.pricingRules[${i}]`,
          reason: `from (${p.from}) is greater than to (${p.to})`,
        });
    });
  }
  if (invalid.length > 0) return { ok: false, invalid, waitingFor };
  if (waitingFor.length > 0) return { ok: false, invalid: [], waitingFor };
  return { ok: true, backends };
}
