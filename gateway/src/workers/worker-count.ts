/**
 * The default number of workers (gateway.md §1.9 APICAST_WORKERS): the CPU
 * count, or on Kubernetes (KUBERNETES_PORT set) `ceil(cpu.shares / 1024)`,
 * the CPUs the pod may use rather than the node's. Read from the cgroup:
 * v2 `cpu.max` (`<quota> <period>`, `max` = no limit), v1 `cpu.shares`
 * (1024 per CPU requested). No cgroup file (or no limit) ⇒ the CPU count.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CgroupCpu {
  /** Text of /sys/fs/cgroup/cpu.max (cgroup v2), if present. */
  cpuMax?: string | undefined;
  /** Text of /sys/fs/cgroup/cpu/cpu.shares (cgroup v1), if present. */
  cpuShares?: string | undefined;
}

/** Workers for a pod: from cpu.max (quota / period) or cpu.shares / 1024, rounded up, at least 1; undefined when unknown. */
export function workersFromCgroup(cgroup: CgroupCpu): number | undefined {
  const max = cgroup.cpuMax?.trim().split(/\s+/);
  if (max && max.length >= 1 && max[0] !== 'max') {
    const quota = Number(max[0]);
    const period = Number(max[1] ?? '100000');
    if (quota > 0 && period > 0) return Math.max(1, Math.ceil(quota / period));
  }
  const shares = Number(cgroup.cpuShares?.trim());
  if (cgroup.cpuShares !== undefined && Number.isFinite(shares) && shares > 0) return Math.max(1, Math.ceil(shares / 1024));
  return undefined;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readCgroupCpu(root = '/sys/fs/cgroup'): CgroupCpu {
  return {
    cpuMax: readOptional(`${root}/cpu.max`),
    cpuShares: readOptional(`${root}/cpu/cpu.shares`) ?? readOptional(`${root}/cpu,cpuacct/cpu.shares`),
  };
}

/** The default when APICAST_WORKERS is unset or `auto`. */
export function defaultWorkerCount(
  onKubernetes: boolean,
  cgroup: () => CgroupCpu = () => readCgroupCpu(),
  cpuCount = availableParallelism(),
): number {
  if (!onKubernetes) return cpuCount;
  return workersFromCgroup(cgroup()) ?? cpuCount;
}
