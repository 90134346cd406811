// Monitoring objects (operator.md §6.2): 7 PodMonitors, 7 GrafanaDashboards, 7 PrometheusRules; create-only,
// deleted when monitoring is switched off.
import type { ApiManagerModel } from '../../model/types.js';
import { componentLabels } from '../common/labels.js';
import { type DesiredObject, type ObjectRef, createOnly, desired } from '../common/desired.js';
import { alertsFor } from './rules.js';
import { DASHBOARD_NAMES, dashboardJson } from './dashboards.js';

const POD_MONITORS: [name: string, component: string, element: string][] = [
  ['apicast-production', 'apicast', 'production'],
  ['apicast-staging', 'apicast', 'staging'],
  ['backend-listener', 'backend', 'listener'],
  ['backend-worker', 'backend', 'worker'],
  ['system-sidekiq', 'system', 'sidekiq'],
  ['zync', 'zync', 'zync'],
  ['zync-que', 'zync', 'zync-que'],
];

const RULES = ['apicast', 'backend-worker', 'backend-listener', 'system-sidekiq', 'zync', 'zync-que', 'threescale-kube-state-metrics'];

const POD_MONITOR_API = 'monitoring.coreos.com/v1';
const DASHBOARD_API = 'integreatly.org/v1alpha1';

export function buildMonitoring(m: ApiManagerModel): { objects: DesiredObject[]; absent: ObjectRef[] } {
  const refs: ObjectRef[] = [
    ...POD_MONITORS.map(([name]) => ({ apiVersion: POD_MONITOR_API, kind: 'PodMonitor', name })),
    ...DASHBOARD_NAMES.map((name) => ({ apiVersion: DASHBOARD_API, kind: 'GrafanaDashboard', name })),
    ...RULES.map((name) => ({ apiVersion: POD_MONITOR_API, kind: 'PrometheusRule', name })),
  ];
  if (!m.monitoring.enabled) return { objects: [], absent: refs };
  const ns = m.namespace ?? 'default';
  const objects: DesiredObject[] = [
    ...POD_MONITORS.map(([name, component, element]) => {
      const labels = componentLabels(m, component, element);
      return desired(
        {
          apiVersion: POD_MONITOR_API,
          kind: 'PodMonitor',
          metadata: { name, labels },
          spec: { podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http' }], selector: { matchLabels: labels } },
        },
        createOnly,
      );
    }),
    ...DASHBOARD_NAMES.map((name) =>
      desired(
        {
          apiVersion: DASHBOARD_API,
          kind: 'GrafanaDashboard',
          metadata: { name, labels: { app: m.appLabel, 'monitoring-key': 'middleware' } },
          spec: { name: `${ns}/${name}.json`, json: dashboardJson(name, ns) },
        },
        createOnly,
      ),
    ),
    ...RULES.map((name) =>
      desired(
        {
          apiVersion: POD_MONITOR_API,
          kind: 'PrometheusRule',
          metadata: { name, labels: { prometheus: 'application-monitoring', role: 'alert-rules', app: m.appLabel } },
          spec: {
            groups: [
              {
                name: `${ns}/${name}.rules`,
                rules: alertsFor(name, ns).map((a) => ({
                  alert: a.alert,
                  expr: a.expr,
                  for: a.for,
                  labels: { severity: a.severity },
                  annotations: { summary: a.summary },
                })),
              },
            ],
          },
        },
        createOnly,
      ),
    ),
  ];
  return { objects, absent: [] };
}
