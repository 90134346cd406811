/**
 * p99 of a paced load (half of the gateway's saturation rate) while the
 * gateway reloads its configuration every 2 s (SIGHUP after rewriting the
 * file, as an operator would), against the same load without reloads.
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from '../../test/support/process.js';
import { pacedConnections, type LoadShape } from './measure.js';
import { wrk, type WrkResult } from './wrk.js';

export interface ReloadFigures {
  steady: WrkResult;
  reloading: WrkResult;
  reloads: number;
}

export interface ReloadTarget {
  url: string;
  host?: string;
  process: ManagedProcess;
  configFile: string;
  /** The configuration of the n-th reload (each one differs from the last). */
  configuration: (generation: number) => unknown;
}

const RELOAD_EVERY_MS = 2000;

export async function measureReloads(target: ReloadTarget, saturatedRps: number, load: LoadShape): Promise<ReloadFigures> {
  const seconds = Math.max(10, load.seconds * 2);
  const paced = {
    url: target.url,
    host: target.host,
    cpus: load.cpus,
    scriptDir: load.scriptDir,
    connections: pacedConnections(saturatedRps / 2),
    seconds,
    delayMs: 5,
  };
  const steady = await wrk(paced);
  let reloads = 0;
  let running = true;
  // Read through a call: the second wrk run below turns `running` false while the reloader sleeps.
  const stillRunning = (): boolean => running;
  const reloader = (async () => {
    while (stillRunning()) {
      await sleep(RELOAD_EVERY_MS);
      if (!stillRunning()) break;
      reloads++;
      await writeFile(target.configFile, JSON.stringify(target.configuration(reloads)));
      target.process.signal('SIGHUP');
    }
  })();
  const reloading = await wrk(paced);
  running = false;
  await reloader;
  return { steady, reloading, reloads };
}
