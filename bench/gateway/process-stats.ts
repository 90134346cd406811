/** CPU time and resident memory of a process tree, read from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

async function children(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** The process and all its descendants (nginx workers, node:cluster workers). */
async function tree(pid: number): Promise<number[]> {
  const all = [pid];
  for (const child of await children(pid)) all.push(...(await tree(child)));
  return all;
}

async function cpuOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.split(') ').at(1)?.split(' ');
  if (!fields) return 0;
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib * 1024;
}

/** User + system CPU seconds used so far by the process tree. */
export async function cpuSeconds(pid: number): Promise<number> {
  let total = 0;
  for (const p of await tree(pid)) total += await cpuOf(p);
  return total;
}

/** Resident set size of the whole tree, in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  let total = 0;
  for (const p of await tree(pid)) total += await rssOf(p);
  return total;
}
