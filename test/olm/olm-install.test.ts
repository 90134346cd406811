/**
 * Our OLM bundle installed and upgraded by the real OLM (v0.31.0, `olm` + `catalog` built from Go modules,
 * test/olm/README.md) on the shared test cluster: a file-based catalog rendered by `opm render` and served by
 * `opm serve`, a CatalogSource pointing at it, an OperatorGroup and a Subscription; OLM resolves, creates the
 * InstallPlan, the CRDs, ServiceAccount, RBAC and the operator Deployment (whose pod kwok makes Ready). The
 * operator then runs locally (the Deployment's pod is a kwok fake) with a token of the ServiceAccount OLM
 * created, under the RBAC OLM granted, and reconciles the CSV's first alm-example. Finally a second bundle
 * version that `replaces` the first is published by restarting `opm serve`, and OLM upgrades to it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import type { Cluster } from '../cluster/harness.js';
import { eventually } from '../cluster/harness.js';
import { clusterStartTimeoutMs, useCluster } from '../cluster/shared.js';
import { createNamespace, deleteNamespace } from '../cluster/namespaces.js';
import { installCrds } from '../cluster/crds.js';
import { tokenFor } from '../cluster/tokens.js';
import { repoRoot } from '../cluster/openshift-types/sources.js';
import type { ManagedProcess } from '../support/process.js';
import { freePort } from '../support/ports.js';
import { startOperator, type RunningOperator } from '../operator/fixture.js';
import { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { renderDocument } from '../../operator/src/render/render.js';
import { findOlmBinaries, type OlmBinaries } from './binaries.js';
import { bumpBundle, renderBundle, serveCatalog, writeCatalog, type BumpedBundle, type RenderedBundle } from './catalog.js';
import { almExamples, readAnnotations, readCsv, type BundleAnnotations, type Csv, type PolicyRule } from './csv.js';
import { startOlm, type OlmProcesses } from './olm.js';
import { olmApi, type OlmApi, type OlmObject } from './objects.js';

const BUNDLE_DIR = join(repoRoot(), 'manifests', 'bundle');
const CATALOG_SOURCE = 'threescale-test-catalog';
const OPERATOR_GROUP = 'threescale';
const SUBSCRIPTION = 'threescale-operator';

/** Durations printed at the end of the suite (ms). */
const figures: Record<string, number> = {};
const since = (start: number): number => Date.now() - start;

describe('OLM: install and upgrade of our bundle by the real OLM', function () {
  this.timeout(180_000);
  const suiteStart = Date.now();
  let cluster: Cluster;
  let kc: KubeConfig;
  let binaries: OlmBinaries;
  let olm: OlmApi;
  let work: string;
  let olmNamespace: string;
  let namespace: string;
  let csv: Csv;
  let annotations: BundleAnnotations;
  let first: RenderedBundle;
  let catalogPort: number;
  let opmServe: ManagedProcess | undefined;
  let olmProcesses: OlmProcesses | undefined;
  let operator: RunningOperator | undefined;

  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    cluster = await useCluster();
    kc = cluster.kubeConfig();
    binaries = await findOlmBinaries();
    olm = olmApi(kc);
    work = await mkdtemp(join(tmpdir(), 'olm-test-'));
    csv = await readCsv(BUNDLE_DIR);
    annotations = await readAnnotations(BUNDLE_DIR);
    // OLM's CRDs stay installed after the suite (cluster-scoped, harmless without OLM running).
    await installCrds(kc, binaries.crdPaths, 60_000);
    olmNamespace = await createNamespace(kc, 'olm');
    namespace = await createNamespace(kc, 'olm-install');

    first = await renderBundle(binaries.opm, BUNDLE_DIR);
    assert.equal(first.image, '', 'opm render leaves image empty: OLM installs inline manifests, no unpack Job');
    assert.equal(first.name, csv.metadata.name);
    const catalogDir = join(work, 'catalog-v1');
    await writeCatalog(catalogDir, annotations.packageName, annotations.defaultChannel, [{ bundle: first }]);
    catalogPort = await freePort();
    opmServe = await serveCatalog(binaries.opm, catalogDir, catalogPort, work);

    try {
      await startOlmAndWait();
    } catch (error) {
      printLogs();
      throw error;
    }
  });

  async function startOlmAndWait(): Promise<void> {
    const olmStart = Date.now();
    olmProcesses = await startOlm(binaries, { kubeconfigPath: cluster.kubeconfigPath, olmNamespace });
    const processes = olmProcesses;
    await olm.create('OperatorGroup', namespace, { metadata: { name: OPERATOR_GROUP }, spec: { targetNamespaces: [namespace] } });
    await olm.create('CatalogSource', namespace, {
      metadata: { name: CATALOG_SOURCE },
      spec: { sourceType: 'grpc', address: `127.0.0.1:${catalogPort}`, displayName: 'threescale-ts test catalog' },
    });
    // An exited process ends the wait at once; assertRunning then fails with its log.
    const ready = async (): Promise<boolean> =>
      processes.anyExited() || ((await operatorGroupReady(olm, namespace)) && (await catalogReady(olm, namespace)));
    await eventually('OperatorGroup status written (olm) and CatalogSource READY (catalog)', ready, 60_000, 200);
    processes.assertRunning();
    figures['OLM start until functional (ms)'] = since(olmStart);
  }

  function printLogs(): void {
    console.log(olmProcesses?.logs(60));
    console.log(`[opm serve] (${opmServe?.describeExit() ?? 'not started'})\n${tail(opmServe?.logs() ?? '', 20)}`);
    if (operator) console.log(`[operator]\n${tail(operator.process.logs(), 60)}`);
  }

  afterEach(function () {
    if (this.currentTest?.state === 'failed') printLogs();
  });

  after(async function () {
    this.timeout(120_000);
    await operator?.stop();
    await olmProcesses?.stop();
    if (namespace) await dropCsvFinalizers(olm, namespace);
    await opmServe?.stop();
    if (namespace) await deleteNamespace(kc, namespace);
    if (olmNamespace) await deleteNamespace(kc, olmNamespace);
    if (namespace) await deleteClusterScopedLeftovers(kc, namespace);
    if (work) await rm(work, { recursive: true, force: true });
    figures['suite total (ms)'] = since(suiteStart);
    console.log(`      OLM figures: ${JSON.stringify(figures)}`);
  });

  it('installs the bundle through a Subscription: InstallPlan Complete, CSV Succeeded', async () => {
    const start = Date.now();
    await olm.create('Subscription', namespace, {
      metadata: { name: SUBSCRIPTION },
      spec: {
        channel: annotations.defaultChannel,
        name: annotations.packageName,
        source: CATALOG_SOURCE,
        sourceNamespace: namespace,
        installPlanApproval: 'Automatic',
      },
    });
    const plan = await installPlanOf(olm, namespace, csv.metadata.name);
    figures['Subscription → InstallPlan created (ms)'] = since(start);
    // Watched side by side: OLM's operator may finish the CSV before the catalog operator marks the plan Complete.
    await Promise.all([
      eventually(
        'InstallPlan Complete',
        async () => (await olm.get('InstallPlan', namespace, plan))?.status?.phase === 'Complete',
        90_000,
        300,
      ).then(() => (figures['Subscription → InstallPlan Complete (ms)'] = since(start))),
      csvSucceeded(olm, namespace, csv.metadata.name).then(() => (figures['Subscription → CSV Succeeded (ms)'] = since(start))),
    ]);
    const sub = await olm.get('Subscription', namespace, SUBSCRIPTION);
    assert.equal(sub?.status?.installedCSV, csv.metadata.name);
  });

  it("creates what the CSV describes: Deployment, ServiceAccount, Roles and ClusterRoles with the CSV's rules, CRDs", async () => {
    const expected = csv.spec.install.spec.deployments[0];
    const deployment = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: expected.name, namespace });
    const container = deployment.spec!.template.spec!.containers[0];
    const wanted = expected.spec.template.spec.containers[0];
    assert.equal(container.image, wanted.image);
    // The CSV's env, in order, plus the one OLM appends: the OperatorCondition the operator may write to.
    assert.deepEqual(
      (container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]),
      [
        ...(wanted.env ?? []).map((e) => [e.name, e.value ?? (e.valueFrom as { fieldRef?: { fieldPath?: string } }).fieldRef?.fieldPath]),
        ['OPERATOR_CONDITION_NAME', csv.metadata.name],
      ],
    );
    assert.equal(deployment.spec!.template.spec!.serviceAccountName, expected.spec.template.spec.serviceAccountName);
    assert.equal(deployment.spec!.template.metadata!.annotations!['olm.targetNamespaces'], namespace);
    assert.equal(deployment.status?.availableReplicas, 1, 'kwok made the pod Ready, the deployment controller made it Available');

    await kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: expected.spec.template.spec.serviceAccountName, namespace });
    await assertRbac(kc, namespace, csv);
    const crdApi = kc.makeApiClient(ApiextensionsV1Api);
    for (const owned of csv.spec.customresourcedefinitions.owned) {
      const crd = await crdApi.readCustomResourceDefinition({ name: owned.name });
      assert.ok(
        crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
        `${owned.name} Established`,
      );
      assert.ok(
        crd.spec.versions.some((v) => v.name === owned.version && v.served),
        `${owned.name} serves ${owned.version}`,
      );
    }
  });

  it('runs the operator under the RBAC OLM granted and reconciles the first alm-example', async () => {
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: csv.spec.install.spec.deployments[0].name, namespace });
    const serviceAccount = deployment.spec!.template.spec!.serviceAccountName!;
    const credentials = await tokenFor(cluster, namespace, serviceAccount);
    const env = literalEnv(deployment);
    operator = await startOperator({
      kubeconfigPath: credentials.kubeconfigPath,
      // What the Downward API would put into WATCH_NAMESPACE / OPERATOR_NAMESPACE in the real pod.
      watchNamespace: deployment.spec!.template.metadata!.annotations!['olm.targetNamespaces'],
      leaseNamespace: namespace,
      env,
    });
    const example = almExamples(csv).find((e) => e.kind === 'APIManager')!;
    const admin = await KubeClient.fromKubeConfig(kc);
    try {
      const start = Date.now();
      await admin.create({ ...example, metadata: { ...example.metadata, namespace } });
      // The shared cluster serves the OpenShift stand-ins (test-cluster.md §6), so the operator picks that flavour.
      const outcome = renderDocument(example, { flavour: 'openshift', env });
      assert.ok(outcome.ok, 'the alm-example renders');
      const wanted = outcome.result.objects.map((d) => d.object);
      await eventually(
        `all ${wanted.length} objects of the APIManager exist`,
        async () => (await missingObjects(admin, namespace, wanted)).length === 0,
        90_000,
        500,
      );
      figures['APIManager → all objects created, under OLM RBAC (ms)'] = since(start);
      await admin.get('v1', 'Secret', namespace, 'system-seed');
      // Status written too (the status subresource is in the CSV's rules); conflicts are retried, a 403 would not be.
      await eventually(
        'the APIManager has status conditions',
        async () =>
          ((
            await admin.get<KubeObject & { status?: { conditions?: unknown[] } }>(
              example.apiVersion,
              example.kind,
              namespace,
              example.metadata.name,
            )
          ).status?.conditions?.length ?? 0) > 0,
        30_000,
        300,
      );
      assert.doesNotMatch(
        operator.process.logs(),
        /\b403\b|forbidden/i,
        'no request of the operator was forbidden by the RBAC OLM granted',
      );
    } finally {
      await admin.close();
    }
  });

  it('upgrades to a second bundle version that replaces the first when opm serve restarts with it', async () => {
    const bumped = await bumpBundle(BUNDLE_DIR, join(work, 'bundle-next'));
    const second = await renderBundle(binaries.opm, bumped.dir);
    assert.equal(second.name, bumped.csvName);
    const catalogDir = join(work, 'catalog-v2');
    await writeCatalog(catalogDir, annotations.packageName, annotations.defaultChannel, [
      { bundle: first },
      { bundle: second, replaces: first.name },
    ]);
    const start = Date.now();
    // Same port: the catalog operator re-resolves when its gRPC connection to the source is READY again.
    await opmServe?.stop();
    opmServe = await serveCatalog(binaries.opm, catalogDir, catalogPort, work);
    await waitForUpgrade(olm, namespace, bumped, csv.metadata.name);
    figures['opm serve restart → new CSV Succeeded, old gone (ms)'] = since(start);
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: csv.spec.install.spec.deployments[0].name, namespace });
    assert.equal(deployment.spec!.template.spec!.containers[0].image, bumped.image);
    assert.equal(deployment.metadata?.labels?.['olm.owner'], bumped.csvName);
    // The new CSV's RBAC was created for it (OLM names and labels Roles per CSV) before the old CSV's went.
    await assertRbac(kc, namespace, await readCsv(bumped.dir));
    await eventually(
      'the upgraded Deployment rolled out (kwok runs the new pod)',
      async () => {
        const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: deployment.metadata!.name!, namespace });
        return d.status?.updatedReplicas === 1 && d.status.availableReplicas === 1 && d.status.replicas === 1;
      },
      60_000,
      300,
    );
  });

  it('uninstalls: with the Subscription and CSV deleted, OLM removes the CSV and its cluster-scoped RBAC', async () => {
    await uninstall(olm, namespace);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const labelSelector = `olm.owner.kind=ClusterServiceVersion,olm.owner.namespace=${namespace}`;
    await eventually(
      "the CSVs' ClusterRoles and ClusterRoleBindings are gone",
      async () =>
        (await rbac.listClusterRole({ labelSelector })).items.length === 0 &&
        (await rbac.listClusterRoleBinding({ labelSelector })).items.length === 0,
      30_000,
      300,
    );
  });
});

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function operatorGroupReady(olm: OlmApi, namespace: string): Promise<boolean> {
  const group = await olm.get('OperatorGroup', namespace, OPERATOR_GROUP);
  return group?.status?.namespaces?.includes(namespace) === true;
}

async function catalogReady(olm: OlmApi, namespace: string): Promise<boolean> {
  const source = await olm.get('CatalogSource', namespace, CATALOG_SOURCE);
  return source?.status?.connectionState?.lastObservedState === 'READY';
}

/** The name of the InstallPlan the Subscription points at once it resolved `csvName`. */
async function installPlanOf(olm: OlmApi, namespace: string, csvName: string): Promise<string> {
  let plan = '';
  await eventually(
    `the Subscription resolves ${csvName} into an InstallPlan`,
    async () => {
      const sub = await olm.get('Subscription', namespace, SUBSCRIPTION);
      plan = sub?.status?.installPlanRef?.name ?? '';
      return plan !== '' && sub?.status?.currentCSV === csvName;
    },
    90_000,
    300,
  );
  return plan;
}

async function csvSucceeded(olm: OlmApi, namespace: string, name: string, timeoutMs = 120_000): Promise<void> {
  let last: OlmObject | undefined;
  try {
    await eventually(
      `CSV ${name} Succeeded`,
      async () => {
        last = await olm.get('ClusterServiceVersion', namespace, name);
        return last?.status?.phase === 'Succeeded';
      },
      timeoutMs,
      300,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last?.status)}`, { cause: error });
  }
}

/** The Subscription moved to the new CSV, which Succeeded, and OLM removed the replaced one. */
async function waitForUpgrade(olm: OlmApi, namespace: string, bumped: BumpedBundle, previous: string): Promise<void> {
  await eventually(
    `Subscription installedCSV becomes ${bumped.csvName}`,
    async () => (await olm.get('Subscription', namespace, SUBSCRIPTION))?.status?.installedCSV === bumped.csvName,
    180_000,
    500,
  );
  await csvSucceeded(olm, namespace, bumped.csvName);
  const next = await olm.get('ClusterServiceVersion', namespace, bumped.csvName);
  assert.equal((next?.spec as { replaces?: string } | undefined)?.replaces, previous);
  await eventually(
    `the replaced CSV ${previous} is deleted`,
    async () => (await olm.get('ClusterServiceVersion', namespace, previous)) === undefined,
    60_000,
    500,
  );
}

/** A rule in a canonical form: absent and empty lists are the same, order inside a list does not matter. */
function canonicalRule(rule: PolicyRule | V1PolicyRule): string {
  const list = (values: string[] | undefined) => [...(values ?? [])].sort();
  return JSON.stringify([
    list(rule.apiGroups),
    list(rule.resources),
    list(rule.resourceNames),
    list(rule.nonResourceURLs),
    list(rule.verbs),
  ]);
}
const canonicalRules = (rules: (PolicyRule | V1PolicyRule)[] | undefined): string => (rules ?? []).map(canonicalRule).sort().join('\n');

/**
 * For each `permissions` entry a Role with exactly its rules, bound to its ServiceAccount; for each
 * `clusterPermissions` entry the same as ClusterRole + ClusterRoleBinding. OLM labels them with the owning CSV.
 */
async function assertRbac(kc: KubeConfig, namespace: string, csv: Csv): Promise<void> {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const labelSelector = `olm.owner=${csv.metadata.name},olm.owner.namespace=${namespace}`;
  const roles = (await rbac.listNamespacedRole({ namespace, labelSelector })).items;
  const bindings = (await rbac.listNamespacedRoleBinding({ namespace, labelSelector })).items;
  const clusterRoles = (await rbac.listClusterRole({ labelSelector })).items;
  const clusterBindings = (await rbac.listClusterRoleBinding({ labelSelector })).items;
  const permissions = csv.spec.install.spec.permissions ?? [];
  const clusterPermissions = csv.spec.install.spec.clusterPermissions ?? [];
  assert.ok(permissions.length + clusterPermissions.length > 0, 'the CSV asks for permissions');
  for (const [kind, wanted, granted, granting] of [
    ['Role', permissions, roles, bindings],
    ['ClusterRole', clusterPermissions, clusterRoles, clusterBindings],
  ] as const) {
    for (const permission of wanted) {
      const role = granted.find((r) => canonicalRules(r.rules) === canonicalRules(permission.rules));
      assert.ok(
        role,
        `a ${kind} with the rules of ${permission.serviceAccountName} (have ${granted.map((r) => r.metadata?.name).join(', ')})`,
      );
      assert.ok(
        granting.some(
          (b) =>
            b.roleRef.kind === kind &&
            b.roleRef.name === role.metadata?.name &&
            b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === permission.serviceAccountName && s.namespace === namespace),
        ),
        `${kind} ${role.metadata?.name} bound to ServiceAccount ${permission.serviceAccountName}`,
      );
    }
  }
}

/** The container's env entries with a literal value (the fieldRef ones are the namespace/pod facts set apart). */
function literalEnv(deployment: V1Deployment): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of deployment.spec?.template.spec?.containers[0]?.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

async function missingObjects(admin: KubeClient, namespace: string, objects: KubeObject[]): Promise<string[]> {
  const missing: string[] = [];
  for (const object of objects) {
    try {
      await admin.get(object.apiVersion, object.kind, namespace, object.metadata.name);
    } catch {
      missing.push(`${object.kind}/${object.metadata.name}`);
    }
  }
  return missing;
}

/**
 * Uninstalls as a user would, while OLM still runs: the Subscription, then the CSVs. OLM puts a finalizer
 * (operators.coreos.com/csv-cleanup) on each CSV and removes it once it has cleaned up; with OLM stopped first,
 * the namespace would stay Terminating.
 */
async function uninstall(olm: OlmApi, namespace: string): Promise<void> {
  await olm.delete('Subscription', namespace, SUBSCRIPTION);
  for (const csv of await olm.list('ClusterServiceVersion', namespace))
    await olm.delete('ClusterServiceVersion', namespace, csv.metadata.name);
  await eventually(
    'OLM removes the CSVs',
    async () => (await olm.list('ClusterServiceVersion', namespace)).length === 0,
    30_000,
    300,
  ).catch((error: unknown) => {
    console.log(`      cleanup: ${(error as Error).message}`);
  });
}

/** If OLM stopped before it could clean up (a failed test): drop the CSVs' finalizers so the namespace can go. */
async function dropCsvFinalizers(olm: OlmApi, namespace: string): Promise<void> {
  for (const csv of await olm.list('ClusterServiceVersion', namespace)) {
    if (!csv.metadata.finalizers?.length) continue;
    await olm.replace('ClusterServiceVersion', namespace, { ...csv, metadata: { ...csv.metadata, finalizers: [] } });
  }
}

/**
 * OLM's cluster-scoped objects for the test namespace (ClusterRoles/Bindings of clusterPermissions and of the
 * OperatorGroup, labelled olm.owner.namespace) and the Operator object OLM's operator controller creates: the
 * OLM processes that would clean them up are stopped already, and other suites share the cluster.
 */
async function deleteClusterScopedLeftovers(kc: KubeConfig, namespace: string): Promise<void> {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const labelSelector = `olm.owner.namespace=${namespace}`;
  for (const role of (await rbac.listClusterRole({ labelSelector })).items) await rbac.deleteClusterRole({ name: role.metadata!.name! });
  for (const binding of (await rbac.listClusterRoleBinding({ labelSelector })).items)
    await rbac.deleteClusterRoleBinding({ name: binding.metadata!.name! });
  const operators = kc.makeApiClient(CustomObjectsApi);
  const listed = (await operators.listClusterCustomObject({ group: 'operators.coreos.com', version: 'v1', plural: 'operators' })) as {
    items: { metadata: { name: string } }[];
  };
  for (const op of listed.items.filter((o) => o.metadata.name.endsWith(`.${namespace}`)))
    await operators.deleteClusterCustomObject({
      group: 'operators.coreos.com',
      version: 'v1',
      plural: 'operators',
      name: op.metadata.name,
    });
}
