// The seam between the controller and the builders for an APIcast CR: the CR plus a read-only view of the
// namespace's secrets (decoded data and resourceVersion) → desired objects, or field errors.
import type { BuildResult, KubeObject } from '../desired.js';
import type { FieldError } from '../../model/types.js';

export interface SecretView {
  data: Readonly<Record<string, string>>;
  resourceVersion: string;
}
export type ApicastPlanOutcome = { ok: true; result: BuildResult; warnings: FieldError[] } | { ok: false; errors: FieldError[] };
export type ApicastPlanner = (
  cr: KubeObject,
  lookup: (secretName: string) => SecretView | undefined,
  env: NodeJS.ProcessEnv,
) => ApicastPlanOutcome;
