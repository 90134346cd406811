// Validation of user-provided, read-only Secrets (operator.md §2.5, §3.1, §3.3). Findings name the secret,
// the key and the reason — never a value.
import type { Finding } from '../components/common/desired.js';
import { redisUrlProblem, sentinelHostsProblem, sentinelRoleProblem } from './redis-url.js';

type Data = Readonly<Partial<Record<string, string>>>;
type Check = (value: string) => string | undefined;

interface KeyRule {
  key: string;
  required: boolean;
  check?: Check;
}

const nonEmptyRedisUrl: Check = (v) => redisUrlProblem(v);
const optionalRedisUrl: Check = (v) => (v === '' ? undefined : redisUrlProblem(v));

export const BACKEND_REDIS_RULES: KeyRule[] = [
  { key: 'REDIS_STORAGE_URL', required: true, check: nonEmptyRedisUrl },
  { key: 'REDIS_QUEUES_URL', required: true, check: nonEmptyRedisUrl },
  { key: 'REDIS_STORAGE_SENTINEL_HOSTS', required: false, check: sentinelHostsProblem },
  { key: 'REDIS_STORAGE_SENTINEL_ROLE', required: false, check: sentinelRoleProblem },
  { key: 'REDIS_QUEUES_SENTINEL_HOSTS', required: false, check: sentinelHostsProblem },
  { key: 'REDIS_QUEUES_SENTINEL_ROLE', required: false, check: sentinelRoleProblem },
];

/** `messageBusRequired`: the 2.9 operator requires MESSAGE_BUS_URL non-empty in HA mode. */
export function systemRedisRules(messageBusRequired: boolean): KeyRule[] {
  return [
    { key: 'URL', required: true, check: nonEmptyRedisUrl },
    { key: 'SENTINEL_HOSTS', required: false, check: sentinelHostsProblem },
    { key: 'SENTINEL_ROLE', required: false, check: sentinelRoleProblem },
    { key: 'MESSAGE_BUS_URL', required: messageBusRequired, check: messageBusRequired ? nonEmptyRedisUrl : optionalRedisUrl },
    { key: 'MESSAGE_BUS_SENTINEL_HOSTS', required: false, check: sentinelHostsProblem },
    { key: 'MESSAGE_BUS_SENTINEL_ROLE', required: false, check: sentinelRoleProblem },
    { key: 'NAMESPACE', required: false },
    { key: 'MESSAGE_BUS_NAMESPACE', required: false },
  ];
}

const DATABASE_SCHEMES = ['mysql2', 'postgresql', 'oracle-enhanced'];

export function systemDatabaseUrlProblem(url: string): string | undefined {
  const match = /^([a-z0-9+-]+):\/\/(?:[^@/]*@)?[^/@]+\/[^/]+$/.exec(url);
  if (!match) return 'not a database URL <scheme>://[user:password@]host/database';
  if (!DATABASE_SCHEMES.includes(match[1])) return `scheme must be one of ${DATABASE_SCHEMES.join(', ')}`;
  if (match[1] === 'mysql2' && !/^mysql2:\/\/root:[^@]+@/.test(url)) return 'mysql2 URL must use user root with a password';
  return undefined;
}

export const SYSTEM_DATABASE_RULES: KeyRule[] = [{ key: 'URL', required: true, check: systemDatabaseUrlProblem }];

/** External zync database: the user's `zync` Secret carries what the operator would otherwise generate. */
export const ZYNC_EXTERNAL_RULES: KeyRule[] = [
  {
    key: 'DATABASE_URL',
    required: true,
    check: (v: string) =>
      /^postgres(ql)?:\/\/[^/]+\/[^/]+$/.test(v) ? undefined : 'not a PostgreSQL URL postgresql://[user:password@]host[:port]/database',
  },
  { key: 'SECRET_KEY_BASE', required: true, check: (v: string) => (v === '' ? 'empty' : undefined) },
  { key: 'ZYNC_AUTHENTICATION_TOKEN', required: true, check: (v: string) => (v === '' ? 'empty' : undefined) },
];

export const S3_RULES: KeyRule[] = [
  ...['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_BUCKET', 'AWS_REGION'].map((key) => ({
    key,
    required: true,
    check: (v: string) => (v === '' ? 'empty' : undefined),
  })),
];

/**
 * Checks one user-provided secret. Every key a workload references without `optional` must exist (a missing
 * one is a finding even when the original would default it, since we never write user secrets).
 */
export function validateUserSecret(
  name: string,
  data: Data | undefined,
  rules: KeyRule[],
  referencedKeys: string[] = rules.map((r) => r.key),
): Finding[] {
  if (data === undefined) return [{ secret: name, reason: 'secret not found' }];
  const findings: Finding[] = [];
  for (const rule of rules) {
    const value = data[rule.key];
    if (value === undefined) {
      if (rule.required || referencedKeys.includes(rule.key)) findings.push({ secret: name, key: rule.key, reason: 'key missing' });
      continue;
    }
    if (rule.required && value === '') {
      findings.push({ secret: name, key: rule.key, reason: 'required value is empty' });
      continue;
    }
    const problem = rule.check?.(value);
    if (problem !== undefined) findings.push({ secret: name, key: rule.key, reason: problem });
  }
  return findings;
}
