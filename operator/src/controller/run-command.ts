// `threescale-operator run`: the controller process. Configuration from flags and env (flags win):
//   --flavour openshift|kubernetes   (THREESCALE_FLAVOUR)   default: API discovery
//   THREESCALE_WORKLOADS=DeploymentConfig|Deployment      default: DeploymentConfig on OpenShift
//   --health-port N                  (HEALTH_PORT)          default 8081; /healthz, /readyz, /metrics
//   --health-bind ADDR               (HEALTH_BIND)          default 0.0.0.0
//   --no-leader-elect                (LEADER_ELECT=false)   default: elect on Lease 3scale-operator-lock
//   --kubeconfig FILE                (KUBECONFIG)           default: in-cluster service account, else ~/.kube/config
// WATCH_NAMESPACE: one namespace, a comma list, or empty = all. OPERATOR_NAMESPACE (downward API) holds the lease.
import { parseApiTimeout, parseResyncInterval } from '../capabilities/runner/context.js';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Manager, parseWatchNamespace } from './manager.js';
import { apiManagerPlanner, apicastPlanner } from './reconcilers/planners.js';
import type { Flavour } from './reconcilers/context.js';
import { WORKLOAD_KINDS, type WorkloadKind } from '../flavours/index.js';

export interface RunConfig {
  flavour?: Flavour;
  workloads?: WorkloadKind;
  healthPort: number;
  healthBind: string;
  leaderElect: boolean;
  kubeconfig?: string;
  namespaces: string[] | undefined;
  leaseNamespace: string;
  identity: string;
  /** THREESCALE_RESYNC_INTERVAL: how often capabilities CRs are compared with 3scale again. */
  resyncMs: number;
  /** THREESCALE_API_TIMEOUT: how long one 3scale call may take. */
  apiTimeoutMs: number;
}

const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Parses flags and env; throws an error naming the flag or variable on bad input. */
export function parseRunConfig(argv: string[], env: NodeJS.ProcessEnv): RunConfig {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`run: unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'no-leader-elect') {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? argv.at(++i);
    if (value === undefined) throw new Error(`run: --${name} needs a value`);
    flags.set(name, value);
  }
  for (const name of flags.keys()) {
    if (!['flavour', 'health-port', 'health-bind', 'no-leader-elect', 'kubeconfig'].includes(name))
      throw new Error(`run: unknown flag --${name}`);
  }
  const flavourText = (flags.get('flavour') as string | undefined) ?? env.THREESCALE_FLAVOUR ?? '';
  if (flavourText !== '' && flavourText !== 'openshift' && flavourText !== 'kubernetes') {
    throw new Error(`${flags.has('flavour') ? '--flavour' : 'THREESCALE_FLAVOUR'}: must be openshift or kubernetes (got "${flavourText}")`);
  }
  const workloadsText = env.THREESCALE_WORKLOADS ?? '';
  if (workloadsText !== '' && !(WORKLOAD_KINDS as readonly string[]).includes(workloadsText)) {
    throw new Error(`THREESCALE_WORKLOADS: must be DeploymentConfig or Deployment (got "${workloadsText}")`);
  }
  const portText = (flags.get('health-port') as string | undefined) ?? env.HEALTH_PORT ?? '8081';
  const healthPort = Number(portText);
  if (!Number.isInteger(healthPort) || healthPort < 0 || healthPort > 65535)
    throw new Error(`${flags.has('health-port') ? '--health-port' : 'HEALTH_PORT'}: not a port number (got "${portText}")`);
  const leaderElect = !flags.has('no-leader-elect') && !FALSE.has((env.LEADER_ELECT ?? 'true').toLowerCase());
  const namespaces = parseWatchNamespace(env.WATCH_NAMESPACE);
  const leaseNamespace = env.OPERATOR_NAMESPACE ?? env.POD_NAMESPACE ?? namespaces?.[0] ?? 'default';
  const resync = parseResyncInterval(env.THREESCALE_RESYNC_INTERVAL);
  if (!resync.ok) throw new Error(resync.reason);
  const apiTimeout = parseApiTimeout(env.THREESCALE_API_TIMEOUT);
  if (!apiTimeout.ok) throw new Error(apiTimeout.reason);
  return {
    resyncMs: resync.ms,
    apiTimeoutMs: apiTimeout.ms,
    ...(flavourText ? { flavour: flavourText } : {}),
    ...(workloadsText ? { workloads: workloadsText as WorkloadKind } : {}),
    healthPort,
    healthBind: (flags.get('health-bind') as string | undefined) ?? env.HEALTH_BIND ?? '0.0.0.0',
    leaderElect,
    ...(flags.has('kubeconfig') ? { kubeconfig: flags.get('kubeconfig') as string } : {}),
    namespaces,
    leaseNamespace,
    identity: env.POD_NAME ?? `${hostname()}-${process.pid}`,
  };
}

export async function runOperator(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = pino({ name: 'threescale-operator', level: env.LOG_LEVEL ?? 'info' });
  let config: RunConfig;
  try {
    config = parseRunConfig(argv, env);
  } catch (error) {
    log.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  const kc = new KubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  const manager = new Manager({
    kubeconfig: kc,
    namespaces: config.namespaces,
    ...(config.flavour ? { flavourOverride: config.flavour } : {}),
    ...(config.workloads ? { workloads: config.workloads } : {}),
    health: { port: config.healthPort, host: config.healthBind },
    ...(config.leaderElect ? { leaderElection: { namespace: config.leaseNamespace, identity: config.identity } } : {}),
    log,
    planners: { apiManager: apiManagerPlanner, apicast: apicastPlanner },
    resyncMs: config.resyncMs,
    apiTimeoutMs: config.apiTimeoutMs,
    env,
  });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    manager.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });
  try {
    await manager.start();
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'operator failed to start');
    process.exit(1);
  }
}
