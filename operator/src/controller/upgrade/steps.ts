// The 2.8 → 2.9 upgrade steps of operator.md §5 that go beyond adoption, as pure functions over one live object
// and its desired counterpart. Each returns the updated copy and what changed, or undefined when nothing would:
// the reconciler writes, requeues, and re-runs every step until none changes anything (idempotent by design).
// Step (2) (remove BASE_URL from a Secret) is deliberately absent: README "reconcile scope" — no upgrade step
// removes or rewrites a Secret key.
import type { KubeObject } from '../desired.js';

/** The metrics settings §5 adds to existing workloads (each only if missing); values come from the desired object. */
export const UPGRADE_METRICS_ENV: ReadonlySet<string> = new Set([
  'APICAST_EXTENDED_METRICS',
  'CONFIG_WORKER_PROMETHEUS_METRICS_PORT',
  'CONFIG_WORKER_PROMETHEUS_METRICS_ENABLED',
  'CONFIG_LISTENER_PROMETHEUS_METRICS_PORT',
  'CONFIG_LISTENER_PROMETHEUS_METRICS_ENABLED',
]);
export const METRICS_PORT_NAME = 'metrics';

export interface UpgradeChange {
  body: KubeObject;
  changed: string[];
}

interface Tag {
  name: string;
  from?: { kind?: string; name?: string };
  [key: string]: unknown;
}

/**
 * Removes the 2.6–2.8 operator's alias tag `latest` (`from: {kind: ImageStreamTag, name: <rel>}`). A tag of any
 * other shape or name — a user's — is never removed.
 */
export function dropObsoleteImageStreamTags(live: KubeObject): UpgradeChange | undefined {
  const tags = (live.spec as { tags?: Tag[] } | undefined)?.tags ?? [];
  const kept = tags.filter((t) => !(t.name === 'latest' && t.from?.kind === 'ImageStreamTag'));
  if (kept.length === tags.length) return undefined;
  const body = structuredClone(live);
  body.spec = { ...(body.spec as Record<string, unknown>), tags: kept };
  return { body, changed: ['spec.tags[latest]'] };
}

interface EnvVar {
  name: string;
  [key: string]: unknown;
}
interface Port {
  name?: string;
  containerPort: number;
  [key: string]: unknown;
}
interface Container {
  name: string;
  env?: EnvVar[];
  ports?: Port[];
  [key: string]: unknown;
}
interface Trigger {
  type: string;
  imageChangeParams?: { from?: { kind?: string; name?: string }; [key: string]: unknown };
  [key: string]: unknown;
}
interface WorkloadSpec {
  triggers?: Trigger[];
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } };
}

const streamOf = (tag: string | undefined): string => (tag ?? '').split(':')[0] ?? '';

/**
 * DeploymentConfig or Deployment: (1) ImageChange triggers point at the desired `<is>:<release>` tag (DC only),
 * (3) the desired pod-template labels are merged in (foreign labels kept), (4) the metrics env entries and the
 * `metrics` port are appended to the containers that lack them (never reordered, never removed).
 */
export function upgradeWorkload(live: KubeObject, desired: KubeObject): UpgradeChange | undefined {
  const body = structuredClone(live);
  const spec = (body.spec ?? {}) as WorkloadSpec;
  const want = (desired.spec ?? {}) as WorkloadSpec;
  const changed: string[] = [];

  for (const trigger of spec.triggers ?? []) {
    const from = trigger.imageChangeParams?.from;
    if (trigger.type !== 'ImageChange' || !from) continue;
    const target = (want.triggers ?? []).find(
      (t) => t.type === 'ImageChange' && streamOf(t.imageChangeParams?.from?.name) === streamOf(from.name),
    )?.imageChangeParams?.from?.name;
    if (target !== undefined && from.name !== target) {
      from.name = target;
      changed.push(`spec.triggers[${target}]`);
    }
  }

  const wantedLabels = want.template?.metadata?.labels ?? {};
  if (spec.template) {
    const labels = { ...(spec.template.metadata?.labels ?? {}) };
    const missing = Object.entries(wantedLabels).filter(([k, v]) => labels[k] !== v);
    if (missing.length > 0) {
      for (const [k, v] of missing) labels[k] = v;
      spec.template.metadata = { ...(spec.template.metadata ?? {}), labels };
      changed.push('spec.template.metadata.labels');
    }
  }

  for (const container of spec.template?.spec?.containers ?? []) {
    const wanted = (want.template?.spec?.containers ?? []).find((c) => c.name === container.name);
    if (!wanted) continue;
    for (const entry of (wanted.env ?? []).filter((e) => UPGRADE_METRICS_ENV.has(e.name))) {
      if ((container.env ?? []).some((e) => e.name === entry.name)) continue;
      container.env = [...(container.env ?? []), structuredClone(entry)];
      changed.push(`${container.name}.env.${entry.name}`);
    }
    const port = (wanted.ports ?? []).find((p) => p.name === METRICS_PORT_NAME);
    if (port && !(container.ports ?? []).some((p) => p.name === METRICS_PORT_NAME || p.containerPort === port.containerPort)) {
      container.ports = [...(container.ports ?? []), structuredClone(port)];
      changed.push(`${container.name}.ports.${METRICS_PORT_NAME}`);
    }
  }
  if (changed.length === 0) return undefined;
  body.spec = spec;
  return { body, changed };
}
