// The seam between the controller and the builders for an APIManager: CR + existing secrets → desired objects.
import type { BuildResult, KubeObject } from '../desired.js';
import type { ExistingSecrets, EffectiveSecrets } from '../../secrets/resolve.js';
import type { FieldError } from '../../model/types.js';
import type { Flavour } from './context.js';
import type { WorkloadKind } from '../../flavours/index.js';

/** `warnings`: accepted but deprecated or ignored input, reported in the Warning condition. */
export interface ApiManagerPlan {
  result: BuildResult;
  effective: EffectiveSecrets;
  warnings: FieldError[];
}
export type PlanOutcome = { ok: true; plan: ApiManagerPlan } | { ok: false; errors: FieldError[] };
export interface PlanTarget {
  flavour: Flavour;
  workloads: WorkloadKind;
}
export type ApiManagerPlanner = (cr: KubeObject, existing: ExistingSecrets, target: PlanTarget, env: NodeJS.ProcessEnv) => PlanOutcome;
