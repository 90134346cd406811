/**
 * The harness itself: it fails loudly (never skips) when it cannot start, and
 * stop() leaves no process and no temp dir behind. These start their own
 * short-lived clusters, separate from the shared one.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './harness.js';
import { findBinaries } from './binaries.js';
import { openShiftGroups, removeOpenShiftStandIns, restoreOpenShiftStandIns, servedGroups } from './crds.js';

/** Pids of this process's children running a control-plane binary (read from /proc, not by name-killing). */
function controlPlaneChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const match = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
      if (match && Number(match[2]) === process.pid && /^(etcd|kube-apiserver|kube-contro)/.test(match[1]!)) pids.push(Number(entry));
    } catch {
      // process ended while we looked
    }
  }
  return pids;
}

describe('test cluster harness: start, failure and teardown', function () {
  this.timeout(120_000);
  const scratch: string[] = [];
  const scratchDir = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  };
  after(async () => {
    await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('refuses to start without binaries and says how to build them', async () => {
    const empty = await scratchDir('tc-nobin-');
    await assert.rejects(startCluster({ binDir: empty }), /binaries missing .*run make cluster/);
  });

  it('fails with the component logs when a start step fails, and stops what it started', async () => {
    const before = controlPlaneChildren();
    const badCrd = join(await scratchDir('tc-badcrd-'), 'bad.yaml');
    await writeFile(badCrd, [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.example.com}',
      'spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets},',
      '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {}}}}}]}',
    ].join('\n'));
    const error = await startCluster({ crdPaths: [badCrd] }).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(error, 'start must fail on an invalid CRD');
    assert.match(error.message, /test cluster failed to start: installing CRD widgets\.example\.com/);
    assert.match(error.message, /--- component logs ---\n\[etcd\]/);
    assert.match(error.message, /\[kube-apiserver\]/);
    assert.deepEqual(controlPlaneChildren().filter((p) => !before.includes(p)), [], 'no control-plane process left running');
  });

  it('starts in seconds, reports a dead component, and stop() ends every process and removes its temp dir', async () => {
    await findBinaries();
    const before = controlPlaneChildren();
    const cluster = await startCluster();
    const started = controlPlaneChildren().filter((p) => !before.includes(p));
    assert.equal(started.length, 3, `etcd, kube-apiserver, kube-controller-manager: ${started.join(',')}`);
    const rss = await cluster.rssBytes();
    assert.ok(rss > 50 * 2 ** 20, `RSS ${rss} is the real processes' memory`);
    console.log(`      figures: start-to-ready ${cluster.startupMs} ms, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(existsSync(cluster.kubeconfigPath));
    cluster.assertRunning();
    // A component that dies mid-run is reported with its logs on the next use.
    cluster.processes['kube-controller-manager'].signal('SIGKILL');
    await cluster.processes['kube-controller-manager'].waitForExit();
    assert.throws(() => cluster.assertRunning(), /kube-controller-manager killed by SIGKILL\n--- component logs ---\n\[etcd\]/);
    await cluster.stop();
    assert.deepEqual(controlPlaneChildren().filter((p) => started.includes(p)), []);
    assert.equal(existsSync(cluster.dir), false);
  });

  it('can look like plain Kubernetes: removing the stand-ins drops their groups from discovery, restoring brings them back', async () => {
    const cluster = await startCluster();
    try {
      const kc = cluster.kubeConfig();
      const has = async (): Promise<string[]> => (await servedGroups(kc)).filter((g) => (openShiftGroups as readonly string[]).includes(g)).sort();
      assert.deepEqual(await has(), [...openShiftGroups]);
      await removeOpenShiftStandIns(kc);
      assert.deepEqual(await has(), []);
      await restoreOpenShiftStandIns(kc);
      assert.deepEqual(await has(), [...openShiftGroups]);
    } finally {
      await cluster.stop();
    }
  });
});
