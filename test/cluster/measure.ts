/**
 * Prints the figures of the test cluster: start-to-ready time, resident memory
 * of its processes, and checks that stop() leaves none of them running.
 * Run: node dist/test/cluster/measure.js
 */
import { startCluster } from './harness.js';

const cluster = await startCluster();
const rss = await cluster.rssBytes();
const pids = Object.entries(cluster.processes)
  .map(([name, p]) => `${name}=${p.pid}`)
  .join(' ');
console.log(`test cluster ready in ${cluster.startupMs} ms at ${cluster.server}; RSS ${(rss / 2 ** 20).toFixed(0)} MiB (${pids})`);
const stopStart = Date.now();
await cluster.stop();
const alive = Object.values(cluster.processes).filter((p) => !p.hasExited).length;
console.log(`stopped in ${Date.now() - stopStart} ms; processes still running: ${alive}`);
process.exitCode = alive === 0 ? 0 : 1;
