// PodDisruptionBudgets (operator-objects §5, operator.md §6.1) for the nine scalable DCs, policy/v1.
import type { ApiManagerModel } from '../../model/types.js';
import { type Labels, componentLabels, selectorFor } from '../common/labels.js';
import { type DesiredObject, type ObjectRef, desired } from '../common/desired.js';

export function pdbTargets(m: ApiManagerModel): [string, Labels][] {
  const zyncElement = (e: string) => (m.operatorExtras ? componentLabels(m, 'zync', e) : componentLabels(m, 'zync'));
  return [
    ['backend-worker', componentLabels(m, 'backend', 'worker')],
    ['backend-cron', componentLabels(m, 'backend', 'cron')],
    ['backend-listener', componentLabels(m, 'backend', 'listener')],
    ['system-app', componentLabels(m, 'system', 'app')],
    ['system-sidekiq', componentLabels(m, 'system', 'sidekiq')],
    ['zync', zyncElement('zync')],
    ['zync-que', zyncElement('zync-que')],
    ['apicast-staging', componentLabels(m, 'apicast', 'staging')],
    ['apicast-production', componentLabels(m, 'apicast', 'production')],
  ];
}

export function buildPodDisruptionBudgets(m: ApiManagerModel): { objects: DesiredObject[]; absent: ObjectRef[] } {
  const targets = pdbTargets(m);
  if (!m.podDisruptionBudget)
    return { objects: [], absent: targets.map(([name]) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name })) };
  return {
    objects: targets.map(([name, labels]) =>
      desired(
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name, labels },
          spec: { maxUnavailable: 1, selector: { matchLabels: selectorFor(name) } },
        },
        { mode: 'replace-spec' },
      ),
    ),
    absent: [],
  };
}
