// Pod Security "restricted" (Kubernetes Pod Security Standards) for the pods this project ships: the operator
// itself (manifests/deploy and the CSV) and the gateways the operator creates (APIManager apicast-staging /
// apicast-production in both flavours, the APIcast CR Deployment), rendered from the sample CRs.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { operatorDeployment } from '../deploy/manifests.js';
import { SAMPLE_APICAST, SAMPLE_APIMANAGER } from '../deploy/samples.js';
import { renderDocument } from '../render/render.js';
import { generateBundle } from './generate.js';
import { PACKAGE_NAME } from './csv.js';

type Json = Record<string, unknown>;
const j = (o: unknown): Json => (o ?? {}) as Json;

/** The restricted profile's checks that the workload author controls, each violation named. */
export function restrictedViolations(where: string, podSpec: Json): string[] {
  const problems: string[] = [];
  const pod = j(podSpec.securityContext);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (podSpec[field] === true) problems.push(`${where}: ${field}`);
  const containers = [...((podSpec.initContainers as Json[] | undefined) ?? []), ...((podSpec.containers as Json[] | undefined) ?? [])];
  for (const container of containers) {
    const at = `${where} container ${String(container.name)}`;
    const sc = j(container.securityContext);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: securityContext.allowPrivilegeEscalation must be false`);
    if (sc.privileged === true) problems.push(`${at}: privileged`);
    const drop = (j(sc.capabilities).drop as string[] | undefined) ?? [];
    if (!drop.includes('ALL')) problems.push(`${at}: securityContext.capabilities.drop must include ALL`);
    const add = (j(sc.capabilities).add as string[] | undefined) ?? [];
    if (add.some((c) => c !== 'NET_BIND_SERVICE')) problems.push(`${at}: capabilities.add ${add.join(',')}`);
    const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (runAsNonRoot !== true) problems.push(`${at}: runAsNonRoot must be true (container or pod securityContext)`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${at}: runAsUser 0`);
    const seccomp = j(sc.seccompProfile).type ?? j(pod.seccompProfile).type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      problems.push(`${at}: seccompProfile.type must be RuntimeDefault (container or pod securityContext)`);
  }
  for (const volume of (podSpec.volumes as Json[] | undefined) ?? [])
    if (volume.hostPath !== undefined) problems.push(`${where}: hostPath volume ${String(volume.name)}`);
  return problems;
}

const podSpecOf = (workload: Json): Json => j(j(j(workload.spec).template).spec);

function rendered(document: unknown, flavour: 'openshift' | 'kubernetes'): Json[] {
  const outcome = renderDocument(document, { flavour, env: {} });
  assert.ok(outcome.ok, outcome.ok ? '' : JSON.stringify(outcome.errors));
  return outcome.result.objects.map((d) => d.object as Json);
}

describe('Pod Security "restricted"', () => {
  it('the checker names each missing setting (it has teeth)', () => {
    const problems = restrictedViolations('x', { containers: [{ name: 'c' }] });
    assert.equal(problems.length, 4);
    assert.deepEqual(
      restrictedViolations('x', {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      }),
      [],
    );
  });

  it('the operator Deployment of manifests/deploy (both variants)', () => {
    const problems = (['namespaced', 'cluster'] as const).flatMap((scope) =>
      restrictedViolations(`manifests/deploy ${scope}`, podSpecOf(operatorDeployment({ image: 'operator:test' }, scope))),
    );
    assert.deepEqual(problems, []);
  });

  it('the operator Deployment of the CSV', () => {
    const csv = j(parse(generateBundle().get(`bundle/manifests/${PACKAGE_NAME}.clusterserviceversion.yaml`)!));
    const deployments = j(j(j(csv.spec).install).spec).deployments as Json[];
    assert.deepEqual(
      deployments.flatMap((d) => restrictedViolations(`CSV deployment ${String(d.name)}`, podSpecOf(d))),
      [],
    );
  });

  for (const flavour of ['openshift', 'kubernetes'] as const) {
    it(`the APIManager gateways apicast-staging and apicast-production (${flavour} flavour)`, () => {
      const objects = rendered(SAMPLE_APIMANAGER, flavour);
      const gateways = objects.filter(
        (o) =>
          ['DeploymentConfig', 'Deployment'].includes(String(o.kind)) &&
          ['apicast-staging', 'apicast-production'].includes(String(j(o.metadata).name)),
      );
      assert.equal(gateways.length, 2);
      assert.deepEqual(
        gateways.flatMap((g) => restrictedViolations(`${String(g.kind)} ${String(j(g.metadata).name)}`, podSpecOf(g))),
        [],
      );
    });

    it(`the APIcast CR Deployment (${flavour} flavour)`, () => {
      const objects = rendered(SAMPLE_APICAST, flavour);
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      assert.equal(deployments.length, 1);
      assert.deepEqual(restrictedViolations(`Deployment ${String(j(deployments[0].metadata).name)}`, podSpecOf(deployments[0])), []);
    });
  }
});
