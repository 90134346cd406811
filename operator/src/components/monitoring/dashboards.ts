// GrafanaDashboard JSON documents written by us (README decisions, "monitoring content"): one row of
// time-series panels per dashboard over the metrics the components expose.
interface Panel {
  title: string;
  expr: string;
}

const PANELS: Partial<Record<string, (ns: string) => Panel[]>> = {
  'apicast-mainapp': (ns) => [
    { title: 'Requests per second by status', expr: `sum(rate(apicast_status{namespace="${ns}"}[1m])) by (status)` },
    {
      title: 'Response time p99',
      expr: `histogram_quantile(0.99, sum(rate(total_response_time_seconds_bucket{namespace="${ns}"}[5m])) by (le))`,
    },
    { title: '3scale backend calls', expr: `sum(rate(threescale_backend_calls{namespace="${ns}"}[1m])) by (endpoint, status)` },
    { title: 'HTTP connections', expr: `sum(nginx_http_connections{namespace="${ns}"}) by (state)` },
  ],
  'apicast-services': (ns) => [
    {
      title: 'Requests per service',
      expr: `sum(rate(total_response_time_seconds_count{namespace="${ns}"}[1m])) by (service_id, service_system_name)`,
    },
    { title: 'Upstream status per service', expr: `sum(rate(upstream_status{namespace="${ns}"}[1m])) by (service_id, status)` },
    {
      title: 'Upstream response time p99 per service',
      expr: `histogram_quantile(0.99, sum(rate(upstream_response_time_seconds_bucket{namespace="${ns}"}[5m])) by (le, service_id))`,
    },
  ],
  backend: (ns) => [
    { title: 'Listener requests by code', expr: `sum(rate(apisonator_listener_response_codes{namespace="${ns}"}[1m])) by (resp_code)` },
    { title: 'Worker jobs', expr: `sum(rate(apisonator_worker_job_count{namespace="${ns}"}[1m])) by (type)` },
  ],
  system: (ns) => [{ title: 'Sidekiq jobs', expr: `sum(rate(sidekiq_jobs_executed_total{namespace="${ns}"}[1m])) by (queue)` }],
  zync: (ns) => [
    { title: 'Zync requests by status', expr: `sum(rate(rails_requests_total{namespace="${ns}"}[1m])) by (status)` },
    { title: 'Que jobs', expr: `sum(que_jobs_scheduled_total{namespace="${ns}"}) by (job_class)` },
  ],
  'kubernetes-resources-by-namespace': (ns) => [
    { title: 'CPU usage', expr: `sum(rate(container_cpu_usage_seconds_total{namespace="${ns}"}[5m])) by (pod)` },
    { title: 'Memory working set', expr: `sum(container_memory_working_set_bytes{namespace="${ns}"}) by (pod)` },
  ],
  'kubernetes-resources-by-pod': (ns) => [
    {
      title: 'CPU usage by container',
      expr: `sum(rate(container_cpu_usage_seconds_total{namespace="${ns}",pod=~"$pod"}[5m])) by (container)`,
    },
    { title: 'Memory by container', expr: `sum(container_memory_working_set_bytes{namespace="${ns}",pod=~"$pod"}) by (container)` },
  ],
};

export const DASHBOARD_NAMES = Object.keys(PANELS);

export function dashboardJson(name: string, ns: string): string {
  const panels = PANELS[name];
  if (panels === undefined) throw new Error(`unknown dashboard ${name}`);
  return JSON.stringify(
    {
      title: `${ns} / 3scale ${name}`,
      uid: `${ns}-${name}`.slice(0, 40),
      schemaVersion: 27,
      time: { from: 'now-1h', to: 'now' },
      panels: panels(ns).map((p, i) => ({
        id: i + 1,
        type: 'timeseries',
        title: p.title,
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        targets: [{ expr: p.expr, refId: 'A' }],
      })),
    },
    null,
    2,
  );
}
