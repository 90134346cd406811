/**
 * The harness itself: it fails loudly (never skips) when it cannot start, kwok
 * and kube-scheduler included, and stop() leaves no process and no temp dir
 * behind. These start their own short-lived clusters, separate from the shared
 * one; the last suite runs a Deployment on the shared one.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { eventually, startCluster } from './harness.js';
import { controlPlaneNames, expectedBinaryDir, findBinaries } from './binaries.js';
import { kwokNodeAnnotation, kwokNodeName, POD_CIDR } from './scheduling.js';
import { clusterStartTimeoutMs, useCluster } from './shared.js';
import { namespacePerTest } from './namespaces.js';
import { openShiftGroups, removeOpenShiftStandIns, restoreOpenShiftStandIns, servedGroups } from './crds.js';

/** Pids of this process's children running a cluster binary (read from /proc, not by name-killing). */
function controlPlaneChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const match = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
      if (match && Number(match[2]) === process.pid && /^(etcd|kube-apiserver|kube-contro|kube-sched|kwok)/.test(match[1]))
        pids.push(Number(entry));
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

  it('refuses to start without kube-scheduler or kwok and names the missing binary', async () => {
    const partial = await scratchDir('tc-nosched-');
    const real = process.env.TC_BIN_DIR ?? (await expectedBinaryDir());
    for (const name of controlPlaneNames.filter((n) => n !== 'kube-scheduler')) await symlink(join(real, name), join(partial, name));
    await assert.rejects(startCluster({ binDir: partial }), /binaries missing \([^)]*\/kube-scheduler\): run make cluster/);
    await assert.rejects(
      startCluster({ kwokBinDir: await scratchDir('tc-nokwok-') }),
      /binaries missing \([^)]*\/kwok\): run make cluster/,
    );
  });

  it("fails with kwok's own error when kwok cannot start (no Stages), and stops what it started", async () => {
    const before = controlPlaneChildren();
    const noStages = join(await scratchDir('tc-nostages-'), 'empty.yaml');
    await writeFile(noStages, '# no Stage here\n');
    const error = await startCluster({ kwokStagesPath: noStages }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error, 'start must fail when kwok exits');
    assert.match(error.message, /test cluster failed to start: kwok exited with code 1 before it was ready:[\s\S]*no stages found/);
    assert.match(error.message, /\[kube-scheduler\] \(still running\)/, 'the logs of what did start are attached');
    assert.deepEqual(
      controlPlaneChildren().filter((p) => !before.includes(p)),
      [],
      'no cluster process left running',
    );
  });

  it('fails naming kube-scheduler when it exits at start, and stops what it started', async () => {
    const before = controlPlaneChildren();
    const broken = await scratchDir('tc-badsched-');
    const real = process.env.TC_BIN_DIR ?? (await expectedBinaryDir());
    for (const name of controlPlaneNames.filter((n) => n !== 'kube-scheduler')) await symlink(join(real, name), join(broken, name));
    // A scheduler that exits at once, as one would on a bad flag or an unreadable config.
    await symlink('/bin/false', join(broken, 'kube-scheduler'));
    const error = await startCluster({ binDir: broken }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error, 'start must fail when kube-scheduler exits');
    assert.match(error.message, /test cluster failed to start: kube-scheduler exited with code 1 before it was ready/);
    assert.doesNotMatch(error.message, /\[kwok\]/, 'kwok is not started after a failed scheduler');
    assert.deepEqual(
      controlPlaneChildren().filter((p) => !before.includes(p)),
      [],
      'no cluster process left running',
    );
  });

  it('fails with the component logs when a start step fails, and stops what it started', async () => {
    const before = controlPlaneChildren();
    const badCrd = join(await scratchDir('tc-badcrd-'), 'bad.yaml');
    await writeFile(
      badCrd,
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: widgets.example.com}',
        'spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets},',
        '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {}}}}}]}',
      ].join('\n'),
    );
    const error = await startCluster({ crdPaths: [badCrd] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error, 'start must fail on an invalid CRD');
    assert.match(error.message, /test cluster failed to start: installing CRD widgets\.example\.com/);
    assert.match(error.message, /--- component logs ---\n\[etcd\]/);
    assert.match(error.message, /\[kube-apiserver\]/);
    assert.deepEqual(
      controlPlaneChildren().filter((p) => !before.includes(p)),
      [],
      'no control-plane process left running',
    );
  });

  it('starts in seconds, reports a dead component, and stop() ends every process and removes its temp dir', async () => {
    await findBinaries();
    const before = controlPlaneChildren();
    const cluster = await startCluster();
    const started = controlPlaneChildren().filter((p) => !before.includes(p));
    assert.equal(started.length, 5, `etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok: ${started.join(',')}`);
    const rss = await cluster.rssBytes();
    assert.ok(rss > 50 * 2 ** 20, `RSS ${rss} is the real processes' memory`);
    console.log(`      figures: start-to-ready ${cluster.startupMs} ms, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(existsSync(cluster.kubeconfigPath));
    cluster.assertRunning();
    // A component that dies mid-run is reported with its logs on the next use.
    cluster.processes['kube-controller-manager'].signal('SIGKILL');
    await cluster.processes['kube-controller-manager'].waitForExit();
    assert.throws(() => {
      cluster.assertRunning();
    }, /kube-controller-manager killed by SIGKILL\n--- component logs ---\n\[etcd\]/);
    await cluster.stop();
    assert.deepEqual(
      controlPlaneChildren().filter((p) => started.includes(p)),
      [],
    );
    assert.equal(existsSync(cluster.dir), false);
  });

  it('can look like plain Kubernetes: removing the stand-ins drops their groups from discovery, restoring brings them back', async () => {
    const cluster = await startCluster();
    try {
      const kc = cluster.kubeConfig();
      const has = async (): Promise<string[]> =>
        (await servedGroups(kc)).filter((g) => (openShiftGroups as readonly string[]).includes(g)).sort();
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

/** Where each piece of a pod's status came from, read from the API server's managedFields (who wrote what). */
function statusWriters(pod: V1Pod): string[] {
  return (pod.metadata?.managedFields ?? [])
    .filter((f) => f.subresource === 'status')
    .map((f) => f.manager ?? '?')
    .sort();
}

describe('test cluster: pods run through kube-scheduler and kwok', function () {
  this.timeout(120_000);
  let kc: KubeConfig;
  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    kc = (await useCluster()).kubeConfig();
  });
  const ns = namespacePerTest(() => kc, 'kwok');

  it('kwok manages its node and has made it Ready', async () => {
    const node = await kc.makeApiClient(CoreV1Api).readNode({ name: kwokNodeName });
    assert.equal(node.metadata?.annotations?.[kwokNodeAnnotation.key], kwokNodeAnnotation.value);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.match(node.status?.nodeInfo?.kubeletVersion ?? '', /^kwok-/);
  });

  it('a plain Deployment becomes Available: pods bound to the kwok node by kube-scheduler, Ready by kwok; scaled to 0 they go away', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const labels = { app: 'plain' };
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: { name: 'plain' },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              initContainers: [{ name: 'setup', image: 'example.test/setup:1' }],
              containers: [{ name: 'main', image: 'example.test/main:1', resources: { requests: { cpu: '500m', memory: '256Mi' } } }],
            },
          },
        },
      },
    });
    // Nothing below writes a pod or its status; the test only reads.
    await eventually(
      'the deployment controller to report the Deployment Available with 3 ready replicas',
      async () => {
        const d = await apps.readNamespacedDeployment({ namespace: ns.name, name: 'plain' });
        return d.status?.readyReplicas === 3 && (d.status.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
      },
      60_000,
      200,
    );
    const pods = (await core.listNamespacedPod({ namespace: ns.name })).items;
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      const conditions = Object.fromEntries((pod.status?.conditions ?? []).map((c) => [c.type, c.status]));
      assert.equal(pod.spec?.nodeName, kwokNodeName);
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(conditions.PodScheduled, 'True');
      assert.equal(conditions.Ready, 'True');
      assert.deepEqual(
        pod.status.containerStatuses?.map((c) => [c.name, c.ready, Boolean(c.state?.running)]),
        [['main', true, true]],
      );
      assert.deepEqual(
        pod.status.initContainerStatuses?.map((c) => [c.name, c.state?.terminated?.reason]),
        [['setup', 'Completed']],
      );
      assert.ok(
        pod.status.podIP?.startsWith(POD_CIDR.split('.').slice(0, 2).join('.') + '.'),
        `pod IP ${pod.status.podIP} from kwok's CIDR`,
      );
      // kwok wrote the status; the only other writer allowed is kube-scheduler (a PodScheduled=False while it waited).
      const writers = statusWriters(pod);
      assert.ok(
        writers.includes('kwok') && writers.every((w) => w === 'kwok' || w === 'kube-scheduler'),
        `status written by ${writers.join(', ')}`,
      );
    }
    // The binding is the scheduler's: it reports each one as a Scheduled event naming the node.
    await eventually(
      'a Scheduled event from default-scheduler for each pod',
      async () => {
        const events = (await core.listNamespacedEvent({ namespace: ns.name })).items.filter((e) => e.reason === 'Scheduled');
        return pods.every((p) =>
          events.some(
            (e) =>
              e.involvedObject.name === p.metadata?.name &&
              e.reportingComponent === 'default-scheduler' &&
              (e.message ?? '').includes(kwokNodeName),
          ),
        );
      },
      10_000,
      200,
    );
    // Scale-down deletes pods gracefully; only a kubelet (here kwok's pod-removed Stage) makes them go away.
    await apps.patchNamespacedDeploymentScale({
      namespace: ns.name,
      name: 'plain',
      body: [{ op: 'replace', path: '/spec/replicas', value: 0 }],
    });
    await eventually(
      'every pod removed after the scale-down',
      async () => (await core.listNamespacedPod({ namespace: ns.name })).items.length === 0,
      30_000,
      200,
    );
  });

  it('schedules a pod whose claim stays Pending (no storage here: the volume plugins are off in the scheduler profile)', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns.name,
      body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    });
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 'claims-storage' },
        spec: {
          containers: [{ name: 'db', image: 'example.test/db:1' }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        },
      },
    });
    await eventually(
      'the pod Running on the kwok node',
      async () => {
        const pod = await core.readNamespacedPod({ namespace: ns.name, name: 'claims-storage' });
        return pod.spec?.nodeName === kwokNodeName && pod.status?.phase === 'Running';
      },
      30_000,
      200,
    );
    assert.equal((await core.readNamespacedPersistentVolumeClaim({ namespace: ns.name, name: 'data' })).status?.phase, 'Pending');
  });
});
