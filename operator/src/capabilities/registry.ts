// Every capabilities kind the operator reconciles, by kind name, and which kinds wait for which.
import type { CapabilityReconciler } from './sync/env.js';
import { backendReconciler } from './backend/sync.js';
import { productReconciler } from './product/sync.js';
import { developerAccountReconciler } from './developer-account/sync.js';
import { developerUserReconciler } from './developer-user/sync.js';
import { applicationReconciler } from './application/sync.js';
import { proxyConfigPromoteReconciler } from './proxy-config-promote/sync.js';
import { applicationAuthReconciler } from './application-auth/sync.js';
import { activeDocReconciler } from './active-doc/sync.js';
import { customPolicyDefinitionReconciler } from './custom-policy-definition/sync.js';
import { tenantReconciler } from './tenant/sync.js';
import { openApiReconciler } from './openapi/sync.js';

// Each reconciler is typed by its own spec; the runner handles them alike.
type Reconciler = CapabilityReconciler<Record<string, unknown>, Record<string, unknown>>;
const as = <S, T>(r: CapabilityReconciler<S, T>): Reconciler => r as unknown as Reconciler;

const all: Reconciler[] = [
  as(backendReconciler),
  as(productReconciler),
  as(developerAccountReconciler),
  as(developerUserReconciler),
  as(applicationReconciler),
  as(proxyConfigPromoteReconciler),
  as(applicationAuthReconciler),
  as(activeDocReconciler),
  as(customPolicyDefinitionReconciler),
  as(tenantReconciler),
  as(openApiReconciler),
];

export const CAPABILITY_RECONCILERS: ReadonlyMap<string, Reconciler> = new Map(all.map((r) => [r.kind, r]));

/** Kinds to re-run when a CR of `kind` changes (a Product waits for its Backends). */
export function dependentsOf(kind: string): string[] {
  return [...CAPABILITY_RECONCILERS.values()].filter((r) => r.dependsOn?.includes(kind)).map((r) => r.kind);
}
