/** The PID serving requests of a gateway under test: its (single) worker, or the process itself without workers. */
import { readdir, readFile } from 'node:fs/promises';
import type { GatewayUnderTest } from './gateway-process.js';

export async function servingPid(gateway: GatewayUnderTest): Promise<number> {
  const primary = gateway.process.pid;
  if (primary === undefined) throw new Error('the gateway under test has no pid: it did not start');
  for (const task of await readdir(`/proc/${primary}/task`)) {
    const children = (await readFile(`/proc/${primary}/task/${task}/children`, 'utf8')).trim();
    if (children) return Number(children.split(/\s+/)[0]);
  }
  return primary;
}

export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
}
