// Preflight decisions (operator.md §11), pure: the requirements ConfigMap's data, version comparison, the
// release-hop rule and the verdict the reconciler acts on. No I/O here; the probes (probe.ts) bring the versions.

/** The ConfigMap the operator writes in every namespace with an APIManager (operator.md §11.1). */
export const REQUIREMENTS_CONFIGMAP = '3scale-api-management-operator-requirements';
/** On the APIManager: the requirements ConfigMap's resourceVersion the databases were last confirmed against. */
export const CONFIRMED_ANNOTATION = 'apps.3scale.net/apimanager-confirmed-requirements-version';
/** On the ConfigMap: the operator version that wrote its data (another version rewrites it; §11.1). */
export const WRITTEN_BY_ANNOTATION = 'apps.3scale.net/threescale-operator-version';
/** A failed preflight is tried again after this long, or at once on any change to the CR, a Secret or the ConfigMap. */
export const RECHECK_MS = 10 * 60_000;

/** The components checked, each with the ConfigMap key holding its minimum. */
export const REQUIREMENT_KEYS = {
  mysql: 'mysql_version',
  postgresql: 'postgres_version',
  systemRedis: 'system_redis_version',
  backendRedis: 'backend_redis_version',
} as const;
export type Requirement = keyof typeof REQUIREMENT_KEYS;

/**
 * The minima this operator writes: the versions its own database images run (model/images.ts: MySQL 5.7,
 * PostgreSQL 10, Redis 3.2), so an external server is never held to more than the internal one would be.
 */
export const DEFAULT_REQUIREMENTS: Readonly<Record<string, string>> = {
  [REQUIREMENT_KEYS.mysql]: '5.7.0',
  [REQUIREMENT_KEYS.postgresql]: '10.0.0',
  [REQUIREMENT_KEYS.systemRedis]: '3.2.0',
  [REQUIREMENT_KEYS.backendRedis]: '3.2.0',
};

export type Version = readonly number[];

/**
 * The leading dotted number of a version string: "8.0.32" → [8,0,32], "10.11.6-MariaDB-0+deb12u1" → [10,11,6],
 * "15.4 (Debian 15.4-1)" → [15,4], "v7.2" → [7,2]. undefined when the text starts with no number.
 */
export function parseVersion(text: string): Version | undefined {
  const match = /^\s*v?(\d+(?:\.\d+)*)/.exec(text);
  return match ? match[1].split('.').map(Number) : undefined;
}

/** Numeric, part by part; a missing part is 0 ("8.0" equals "8.0.0", "8.0.32" is above "8.0"). */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export interface Requirements {
  minimum: Partial<Record<Requirement, Version>>;
  problems: string[];
}

/**
 * The ConfigMap's data as minima. A key left out (or empty) means "no minimum" for that component; a value
 * that is not a version is a problem (reported, and that component fails its check rather than passing unchecked).
 */
export function parseRequirements(data: Readonly<Record<string, string>> | undefined): Requirements {
  const minimum: Partial<Record<Requirement, Version>> = {};
  const problems: string[] = [];
  for (const [requirement, key] of Object.entries(REQUIREMENT_KEYS) as [Requirement, string][]) {
    const text = (data?.[key] ?? '').trim();
    if (text === '') continue;
    const version = parseVersion(text);
    if (version) minimum[requirement] = version;
    else problems.push(`ConfigMap ${REQUIREMENTS_CONFIGMAP} key ${key}: "${text.slice(0, 40)}" is not a version`);
  }
  return { minimum, problems };
}

/** A release "2.9" as [major, minor]; undefined when not of that form. */
function releaseOf(text: string | undefined): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(text ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export type HopVerdict = { kind: 'install' } | { kind: 'same' } | { kind: 'upgrade'; from: string } | { kind: 'refused'; reason: string };

/**
 * What moving the CR from the release it records (`apps.3scale.net/apimanager-threescale-version`) to ours is.
 * Absent: a new install. One minor up: an upgrade. Two or more minors up, another major, or a downgrade: refused —
 * the operator supports one minor per hop, and an older operator must not rewrite a newer installation.
 */
export function decideHop(recorded: string | undefined, ours: string): HopVerdict {
  if (recorded === undefined || recorded === '') return { kind: 'install' };
  if (recorded === ours) return { kind: 'same' };
  const from = releaseOf(recorded);
  const to = releaseOf(ours);
  if (!from || !to)
    return { kind: 'refused', reason: `the installation records release "${recorded.slice(0, 20)}", which is not a release number` };
  if (from[0] === to[0] && from[1] === to[1]) return { kind: 'same' };
  if (from[0] === to[0] && from[1] + 1 === to[1]) return { kind: 'upgrade', from: recorded };
  if (from[0] > to[0] || (from[0] === to[0] && from[1] > to[1])) {
    return {
      kind: 'refused',
      reason: `the installation is at release ${recorded}, newer than this operator's ${ours}: downgrades are not supported`,
    };
  }
  return {
    kind: 'refused',
    reason: `upgrading from release ${recorded} to ${ours} skips a minor release: upgrade one minor at a time (install the operator for the next minor first)`,
  };
}

/** One component's live version, or why it could not be read (never a URL or a credential). */
export type Observation =
  { requirement: Requirement; component: string; version: string } | { requirement: Requirement; component: string; error: string };

export type Verdict = { ok: true; checked: string[] } | { ok: false; failures: string[] };

/**
 * Every observation against its minimum. `component` names what was asked ("system-database (MySQL)",
 * "backend-redis REDIS_STORAGE_URL"); a failure reads "<component>: version X is below the minimum Y (key K)".
 */
export function judge(requirements: Requirements, observations: readonly Observation[]): Verdict {
  const failures = [...requirements.problems];
  const checked: string[] = [];
  for (const o of observations) {
    const key = REQUIREMENT_KEYS[o.requirement];
    if ('error' in o) {
      failures.push(`${o.component}: version not readable (${o.error})`);
      continue;
    }
    const minimum = requirements.minimum[o.requirement];
    if (!minimum) {
      checked.push(`${o.component} ${o.version} (no minimum)`);
      continue;
    }
    const version = parseVersion(o.version);
    if (!version) {
      failures.push(
        `${o.component}: reports version "${o.version.slice(0, 40)}", not comparable with the minimum ${minimum.join('.')} (${key})`,
      );
      continue;
    }
    if (compareVersions(version, minimum) < 0)
      failures.push(`${o.component}: version ${o.version} is below the minimum ${minimum.join('.')} (${key})`);
    else checked.push(`${o.component} ${o.version} >= ${minimum.join('.')}`);
  }
  return failures.length > 0 ? { ok: false, failures } : { ok: true, checked };
}

export interface PreflightInput {
  hop: HopVerdict;
  /** The CR's confirmed-requirements annotation and the ConfigMap's current resourceVersion. */
  confirmed: string | undefined;
  requirementsVersion: string;
  /** How many servers there are to ask (only external components are asked; §11.2). */
  probes: number;
}

/**
 * Whether this pass must ask the servers: only while the CR is not confirmed against the ConfigMap's current
 * resourceVersion. An operator upgrade rewrites the ConfigMap (new resourceVersion), so every upgrade is checked.
 */
export function needsProbes(input: PreflightInput): boolean {
  return input.hop.kind !== 'refused' && input.probes > 0 && input.confirmed !== input.requirementsVersion;
}

export type Decision =
  /** Nothing is written but the status; come back in RECHECK_MS. */
  | { action: 'hold'; reason: 'UpgradeRefused' | 'RequirementsNotMet'; message: string }
  /** Stamp the confirmation annotation (and the status), then come back at once. */
  | { action: 'confirm'; message: string }
  /** Go on with the pass, reporting the condition. */
  | { action: 'proceed'; status: 'True' | 'False'; reason: string; message: string };

/**
 * The verdict for a pass (`verdict` undefined: nothing was asked). A refused hop is always held; a new install or
 * an upgrade whose checks fail is held (nothing written); an install already at our release whose requirements
 * stop being met (an edited ConfigMap, a replaced server) keeps being reconciled with Preflights False, as the
 * original does ("the operator continues to work as normal").
 */
export function decide(input: PreflightInput, verdict: Verdict | undefined): Decision {
  if (input.hop.kind === 'refused') return { action: 'hold', reason: 'UpgradeRefused', message: input.hop.reason };
  const confirmed = input.confirmed === input.requirementsVersion;
  if (verdict === undefined || verdict.ok) {
    const message =
      verdict === undefined
        ? input.probes === 0
          ? "no external database to check (the internal ones run the operator's own images)"
          : `confirmed against ConfigMap ${REQUIREMENTS_CONFIGMAP} resourceVersion ${input.requirementsVersion}`
        : `requirements met: ${verdict.checked.join('; ')}`;
    return confirmed ? { action: 'proceed', status: 'True', reason: 'RequirementsConfirmed', message } : { action: 'confirm', message };
  }
  const failures = verdict.failures.join('; ');
  if (input.hop.kind === 'same') return { action: 'proceed', status: 'False', reason: 'RequirementsNotMet', message: failures };
  const what = input.hop.kind === 'upgrade' ? `upgrade from ${input.hop.from} held` : 'install held';
  return { action: 'hold', reason: 'RequirementsNotMet', message: `${what}: ${failures}` };
}
