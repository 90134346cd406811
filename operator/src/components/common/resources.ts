// Container resources (operator-objects §3.1). Quantities are exact strings (note `M` vs `Mi`).
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ApiManagerModel } from '../../model/types.js';

type Row = [requestCpu: string, requestMemory: string, limitCpu: string | undefined, limitMemory: string];

const TABLE: Partial<Record<string, Row>> = {
  'backend-redis': ['1000m', '1Gi', '2000m', '32Gi'],
  'system-redis': ['150m', '256Mi', '500m', '32Gi'],
  'backend-listener': ['500m', '550Mi', '1', '700Mi'],
  'backend-worker': ['150m', '50Mi', '1', '300Mi'],
  'backend-cron': ['50m', '40Mi', '150m', '80Mi'],
  'system-mysql': ['250m', '512Mi', undefined, '2Gi'],
  'system-postgresql': ['250m', '512Mi', undefined, '2Gi'],
  memcache: ['50m', '64Mi', '250m', '96Mi'],
  'system-master': ['50m', '600Mi', '1', '800Mi'],
  'system-provider': ['50m', '600Mi', '1', '800Mi'],
  'system-developer': ['50m', '600Mi', '1', '800Mi'],
  'system-sidekiq': ['100m', '500Mi', '1', '2Gi'],
  'system-sphinx': ['80m', '250Mi', '1', '512Mi'],
  zync: ['150m', '250M', '1', '512Mi'],
  que: ['250m', '250M', '1', '512Mi'],
  postgresql: ['50m', '250M', '250m', '2G'],
  'apicast-staging': ['50m', '64Mi', '100m', '128Mi'],
  'apicast-production': ['500m', '64Mi', '1', '128Mi'],
};

/** Resources of a main container; `{}` when `resourceRequirementsEnabled` is false (evaluation). */
export function resourcesFor(model: ApiManagerModel, container: string): IResourceRequirements {
  const override = model.resourceOverrides[container];
  if (override !== undefined) return override;
  if (!model.resourceRequirementsEnabled) return {};
  const row = TABLE[container];
  if (row === undefined) throw new Error(`no resource row for container ${container}`);
  const [requestCpu, requestMemory, limitCpu, limitMemory] = row;
  const limits: Record<string, string> = limitCpu === undefined ? { memory: limitMemory } : { cpu: limitCpu, memory: limitMemory };
  return { limits, requests: { cpu: requestCpu, memory: requestMemory } };
}
