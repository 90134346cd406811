import assert from 'node:assert/strict';
import { build, find } from '../../testing/build.js';

describe('monitoring objects (operator.md §6.2)', () => {
  const result = build({ monitoring: { enabled: true } });

  it('PodMonitors select the component labels and scrape the metrics port', () => {
    const pm = find(result, 'PodMonitor', 'backend-listener');
    assert.equal(pm.apiVersion, 'monitoring.coreos.com/v1');
    assert.deepEqual(pm.spec, {
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http' }],
      selector: {
        matchLabels: { app: '3scale-api-management', threescale_component: 'backend', threescale_component_element: 'listener' },
      },
    });
  });

  it('every PodMonitor targets a workload that declares a metrics container port', () => {
    for (const { object } of result.objects.filter((o) => o.object.kind === 'PodMonitor')) {
      const dc = find(result, 'DeploymentConfig', object.metadata.name);
      const ports = (dc.spec as { template: { spec: { containers: { ports?: { name?: string }[] }[] } } }).template.spec.containers.flatMap(
        (c) => c.ports ?? [],
      );
      assert.ok(
        ports.some((p) => p.name === 'metrics'),
        object.metadata.name,
      );
    }
  });

  it('PrometheusRules: one namespaced group with the documented alerts, for and severity', () => {
    const rule = find(result, 'PrometheusRule', 'apicast');
    assert.deepEqual(rule.metadata.labels, { prometheus: 'application-monitoring', role: 'alert-rules', app: '3scale-api-management' });
    const groups = (
      rule.spec as { groups: { name: string; rules: { alert: string; for: string; labels: { severity: string }; expr: string }[] }[] }
    ).groups;
    assert.equal(groups[0]?.name, 'ns1/apicast.rules');
    assert.deepEqual(
      groups[0]?.rules.map((r) => `${r.alert} ${r.for} ${r.labels.severity}`),
      [
        'ThreescaleApicastJobDown 1m critical',
        'ThreescaleApicastRequestTime 2m warning',
        'ThreescaleApicastHttp4xxErrorRate 5m critical',
        'ThreescaleApicastLatencyHigh 5m warning',
      ],
    );
    for (const r of groups[0]?.rules ?? []) assert.ok(r.expr.includes('namespace="ns1"'), r.alert);
    const ksm = find(result, 'PrometheusRule', 'threescale-kube-state-metrics').spec as { groups: { rules: unknown[] }[] };
    assert.equal(ksm.groups[0]?.rules.length, 7);
  });

  it('GrafanaDashboards carry valid JSON over the gateway metric names', () => {
    const dash = find(result, 'GrafanaDashboard', 'apicast-mainapp');
    assert.deepEqual(dash.metadata.labels, { app: '3scale-api-management', 'monitoring-key': 'middleware' });
    const spec = dash.spec as { name: string; json: string };
    assert.equal(spec.name, 'ns1/apicast-mainapp.json');
    const json = JSON.parse(spec.json) as { panels: { targets: { expr: string }[] }[] };
    const exprs = json.panels.flatMap((p) => p.targets.map((t) => t.expr)).join(' ');
    for (const metric of ['apicast_status', 'total_response_time_seconds_bucket', 'threescale_backend_calls', 'nginx_http_connections'])
      assert.ok(exprs.includes(metric), metric);
  });
});
