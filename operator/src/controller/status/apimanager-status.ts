// The APIManager status of operator.md §1.3 with the README's `Available` rule, computed from live objects.
// Pure: the reconciler passes what its caches hold.
import type { KubeObject } from '../desired.js';
import { deploymentPhase, workloadAvailable } from './workload-readiness.js';

export interface DeploymentsStatus {
  ready?: string[];
  starting?: string[];
  stopped?: string[];
}

export function defaultHosts(tenant: string, domain: string): string[] {
  return [
    `backend-${tenant}.${domain}`,
    `api-${tenant}-apicast-production.${domain}`,
    `api-${tenant}-apicast-staging.${domain}`,
    `master.${domain}`,
    `${tenant}.${domain}`,
    `${tenant}-admin.${domain}`,
  ];
}

export function deploymentsStatus(workloads: KubeObject[]): DeploymentsStatus {
  const result: Required<DeploymentsStatus> = { ready: [], starting: [], stopped: [] };
  for (const w of [...workloads].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)))
    result[deploymentPhase(w)].push(w.metadata.name);
  return Object.fromEntries(Object.entries(result).filter(([, names]) => names.length > 0));
}

const routeAdmitted = (route: KubeObject): boolean => {
  const ingress = (route.status as { ingress?: { conditions?: { type: string; status: string }[] }[] } | undefined)?.ingress ?? [];
  return ingress.length > 0 && ingress.every((entry) => (entry.conditions ?? []).some((c) => c.type === 'Admitted' && c.status === 'True'));
};

const hostOf = (object: KubeObject): string[] => {
  if (object.kind === 'Route') return [(object.spec as { host?: string } | undefined)?.host ?? ''];
  return ((object.spec as { rules?: { host?: string }[] } | undefined)?.rules ?? []).map((r) => r.host ?? '');
};

export interface AvailabilityInput {
  /** Names of the workloads the CR currently asks for. */
  expected: string[];
  /** Live workloads owned by this APIManager, by name. */
  owned: Map<string, KubeObject>;
  flavour: 'openshift' | 'kubernetes';
  hosts: string[];
  /** Routes (openshift) or Ingresses (kubernetes) of the namespace. */
  exposures: KubeObject[];
}

/** `missing` = `workloads` then `routes`: what keeps the installation from being Available. */
export interface Availability {
  available: boolean;
  missing: string[];
  workloads: string[];
  routes: string[];
}

export function availability(input: AvailabilityInput): Availability {
  const workloads: string[] = [];
  for (const name of input.expected) {
    const workload = input.owned.get(name);
    if (!workload) workloads.push(`${name} (absent)`);
    else if (!workloadAvailable(workload)) workloads.push(`${name} (not available)`);
  }
  const routes: string[] = [];
  for (const host of input.hosts) {
    const matching = input.exposures.filter((e) => hostOf(e).includes(host));
    const ok = input.flavour === 'openshift' ? matching.some(routeAdmitted) : matching.length > 0;
    if (!ok) routes.push(input.flavour === 'openshift' ? `route ${host} (not admitted)` : `ingress ${host} (absent)`);
  }
  const missing = [...workloads, ...routes];
  return { available: missing.length === 0, missing, workloads, routes };
}
