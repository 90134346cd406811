// PrometheusRules: our own alert expressions over the metric names the components expose (gateway.md §7 for
// APIcast; kube-state-metrics / cAdvisor names for the generic rules). Names, `for` and severities follow
// operator.md §6.2.
export interface Alert {
  alert: string;
  expr: string;
  for: string;
  severity: 'critical' | 'warning';
  summary: string;
}

const POD_REGEX = '(apicast-.*|backend-.*|system-.*|zync-.*)';

export function alertsFor(rule: string, ns: string): Alert[] {
  const sel = (job: string) => `namespace="${ns}",pod=~"${job}"`;
  switch (rule) {
    case 'apicast':
      return [
        {
          alert: 'ThreescaleApicastJobDown',
          expr: `up{${sel('apicast-.*')}} == 0`,
          for: '1m',
          severity: 'critical',
          summary: 'An APIcast pod is not scraped',
        },
        {
          alert: 'ThreescaleApicastRequestTime',
          expr: `sum(rate(total_response_time_seconds_bucket{namespace="${ns}",le="1"}[1m])) by (pod) / sum(rate(total_response_time_seconds_count{namespace="${ns}"}[1m])) by (pod) < 0.9`,
          for: '2m',
          severity: 'warning',
          summary: 'Fewer than 90% of APIcast responses take under 1s',
        },
        {
          alert: 'ThreescaleApicastHttp4xxErrorRate',
          expr: `sum(rate(apicast_status{namespace="${ns}",status=~"^4.."}[1m])) / sum(rate(apicast_status{namespace="${ns}"}[1m])) > 0.05`,
          for: '5m',
          severity: 'critical',
          summary: 'More than 5% of APIcast responses are 4xx',
        },
        {
          alert: 'ThreescaleApicastLatencyHigh',
          expr: `histogram_quantile(0.99, sum(rate(upstream_response_time_seconds_bucket{namespace="${ns}"}[30m])) by (le)) > 5`,
          for: '5m',
          severity: 'warning',
          summary: 'Upstream p99 latency above 5s',
        },
      ];
    case 'backend-worker':
      return [
        {
          alert: 'ThreescaleBackendWorkerJobsCountRunningHigh',
          expr: `sum(avg_over_time(apisonator_worker_job_count{namespace="${ns}"}[5m])) > 1000`,
          for: '5m',
          severity: 'critical',
          summary: 'Backend worker job count is high',
        },
        {
          alert: 'ThreescaleBackendWorkerJobDown',
          expr: `up{${sel('backend-worker-.*')}} == 0`,
          for: '1m',
          severity: 'critical',
          summary: 'A backend-worker pod is not scraped',
        },
      ];
    case 'backend-listener':
      return [
        {
          alert: 'ThreescaleBackendListener5XXRequestsHigh',
          expr: `sum(rate(apisonator_listener_response_codes{namespace="${ns}",resp_code="5xx"}[5m])) > 4000`,
          for: '5m',
          severity: 'critical',
          summary: 'Backend listener answers many 5xx',
        },
        {
          alert: 'ThreescaleBackendListenerJobDown',
          expr: `up{${sel('backend-listener-.*')}} == 0`,
          for: '1m',
          severity: 'critical',
          summary: 'A backend-listener pod is not scraped',
        },
      ];
    case 'system-sidekiq':
      return [
        {
          alert: 'SystemSidekiqZyncRuntime',
          expr: `sum(rate(sidekiq_job_runtime_seconds_sum{namespace="${ns}",worker="ZyncWorker"}[10m])) / sum(rate(sidekiq_job_runtime_seconds_count{namespace="${ns}",worker="ZyncWorker"}[10m])) > 5`,
          for: '10m',
          severity: 'critical',
          summary: 'Zync jobs in sidekiq run slowly',
        },
      ];
    case 'zync':
      return [
        {
          alert: 'ThreescaleZyncJobDown',
          expr: `up{${sel('zync-[a-z0-9]+-[a-z0-9]+')}} == 0`,
          for: '1m',
          severity: 'critical',
          summary: 'A zync pod is not scraped',
        },
        {
          alert: 'ThreescaleZync5XXRequestsHigh',
          expr: `sum(rate(rails_requests_total{namespace="${ns}",status=~"5.."}[1m])) > 50`,
          for: '1m',
          severity: 'warning',
          summary: 'Zync answers many 5xx',
        },
      ];
    case 'zync-que':
      return [
        {
          alert: 'ThreescaleZyncQueJobDown',
          expr: `up{${sel('zync-que-.*')}} == 0`,
          for: '1m',
          severity: 'critical',
          summary: 'A zync-que pod is not scraped',
        },
        {
          alert: 'ThreescaleZyncQueScheduledJobCountHigh',
          expr: `max(que_jobs_scheduled_total{namespace="${ns}"}) > 250`,
          for: '1m',
          severity: 'warning',
          summary: 'Many scheduled que jobs',
        },
        {
          alert: 'ThreescaleZyncQueFailedJobCountHigh',
          expr: `max(que_jobs_failed_total{namespace="${ns}"}) > 250`,
          for: '1m',
          severity: 'warning',
          summary: 'Many failed que jobs',
        },
        {
          alert: 'ThreescaleZyncQueReadyJobCountHigh',
          expr: `max(que_jobs_ready_total{namespace="${ns}"}) > 250`,
          for: '1m',
          severity: 'warning',
          summary: 'Many ready que jobs',
        },
      ];
    case 'threescale-kube-state-metrics':
      return [
        {
          alert: 'ThreescalePodCrashLooping',
          expr: `rate(kube_pod_container_status_restarts_total{namespace="${ns}",pod=~"${POD_REGEX}"}[15m]) * 60 * 5 > 0`,
          for: '5m',
          severity: 'critical',
          summary: 'A 3scale pod is crash looping',
        },
        {
          alert: 'ThreescalePodNotReady',
          expr: `sum by (pod) (kube_pod_status_phase{namespace="${ns}",pod=~"${POD_REGEX}",phase=~"Pending|Unknown"}) > 0`,
          for: '5m',
          severity: 'critical',
          summary: 'A 3scale pod is not ready',
        },
        {
          alert: 'ThreescaleReplicationControllerReplicasMismatch',
          expr: `kube_replicationcontroller_spec_replicas{namespace="${ns}"} != kube_replicationcontroller_status_ready_replicas{namespace="${ns}"}`,
          for: '5m',
          severity: 'critical',
          summary: 'Replicas mismatch',
        },
        {
          alert: 'ThreescaleContainerWaiting',
          expr: `sum by (pod, container) (kube_pod_container_status_waiting{namespace="${ns}",pod=~"${POD_REGEX}"}) > 0`,
          for: '1h',
          severity: 'warning',
          summary: 'A 3scale container has been waiting for an hour',
        },
        {
          alert: 'ThreescaleContainerCPUHigh',
          expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{namespace="${ns}",pod=~"${POD_REGEX}"}[5m])) / sum by (pod, container) (kube_pod_container_resource_limits{namespace="${ns}",resource="cpu"}) > 0.9`,
          for: '15m',
          severity: 'warning',
          summary: 'Container CPU near its limit',
        },
        {
          alert: 'ThreescaleContainerMemoryHigh',
          expr: `sum by (pod, container) (container_memory_working_set_bytes{namespace="${ns}",pod=~"${POD_REGEX}"}) / sum by (pod, container) (kube_pod_container_resource_limits{namespace="${ns}",resource="memory"}) > 0.9`,
          for: '15m',
          severity: 'warning',
          summary: 'Container memory near its limit',
        },
        {
          alert: 'ThreescaleContainerCPUThrottlingHigh',
          expr: `sum by (pod, container) (rate(container_cpu_cfs_throttled_periods_total{namespace="${ns}",pod=~"${POD_REGEX}"}[5m])) / sum by (pod, container) (rate(container_cpu_cfs_periods_total{namespace="${ns}",pod=~"${POD_REGEX}"}[5m])) > 0.25`,
          for: '15m',
          severity: 'warning',
          summary: 'Container CPU is throttled',
        },
      ];
    default:
      throw new Error(`unknown rule group ${rule}`);
  }
}
