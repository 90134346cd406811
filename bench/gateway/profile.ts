/**
 * Where the gateway's CPU goes: runs setup (a) (apicast policy, 1 rule,
 * cached authorization) under wrk with `--cpu-prof` and prints the top
 * self-time entries of the process that served the requests. Not part of
 * `make bench` (profiling slows the process down); run it before and after
 * a change to the hot path: `node dist/bench/gateway/profile.js [seconds]`.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAll } from '../../test/support/process.js';
import { startBackend, startGateway, startNode } from './targets.js';
import { wrk } from './wrk.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** `file:///…/dist/gateway/src/http/handle.js` → `gateway/src/http/handle.js`. */
function shortUrl(url: string): string {
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 6);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 14);
  return url;
}

export function topSelfTime(profile: CpuProfile, count: number): { name: string; percent: number }[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    all += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    totals.set(name, (totals.get(name) ?? 0) + hits);
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => ({ name, percent: (100 * hits) / all }));
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const dir = await mkdtemp(join(tmpdir(), 'gateway-profile-'));
  const profiles = join(dir, 'profiles');
  try {
    const upstream = await startNode('upstream', 'upstream', '1', []);
    const backend = await startBackend(dir, '1');
    const gateway = await startGateway(
      dir,
      { name: 'profiled', rules: 1, batcher: false, workers: 1, cpus: '0' },
      `http://127.0.0.1:${upstream.port}`,
      `http://127.0.0.1:${backend.port}`,
      ['--cpu-prof', `--cpu-prof-dir=${profiles}`],
    );
    const result = await wrk({ url: gateway.url, host: gateway.host, connections: 32, seconds, cpus: '1', scriptDir: dir });
    console.log(`profiled run: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(2)} ms, ${result.errors} errors`);
  } finally {
    await stopAll();
  }
  // Every process of the gateway writes one profile; the one with the most samples served the load.
  const files = (await readdir(profiles)).filter((f) => f.endsWith('.cpuprofile'));
  const loaded = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(profiles, f), 'utf8')) as CpuProfile));
  const busiest = loaded.sort((a, b) => b.samples.length - a.samples.length).at(0);
  if (!busiest) throw new Error(`no profile written in ${profiles}`);
  console.log('top self time (% of samples):');
  for (const { name, percent } of topSelfTime(busiest, Number(process.env.PROFILE_TOP ?? 25)))
    console.log(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
  console.log(`profiles: ${profiles}`);
}

await main();
