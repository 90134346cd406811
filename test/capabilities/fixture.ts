/**
 * What the capabilities cluster tests share: the fake 3scale API started beside the operator suite, the
 * provider-account Secret pointing the operator at it, CR helpers, and a cleanup that lifts the operator's
 * finalizers once it is stopped (so the namespace can go).
 */
import type { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { CAPABILITY_KINDS, apiVersionOf, type CapabilityKindName } from '../../operator/src/capabilities/api/kinds.js';
import { startFake3scale, type Fake3scale, type Fake3scaleOptions } from '../fake-3scale/server.js';
import { operatorSuite, type OperatorSuite } from '../operator/suite.js';
import { condition, eventually } from '../operator/fixture.js';

export { condition, eventually };

export interface CapabilitiesSuite extends OperatorSuite {
  fake: Fake3scale;
}

export function capabilitiesSuite(
  prefix: string,
  env: NodeJS.ProcessEnv = {},
  fakeOptions: () => Promise<Fake3scaleOptions> = () => Promise.resolve({}),
): CapabilitiesSuite {
  const holder: { fake: Fake3scale | undefined } = { fake: undefined };
  const suite = operatorSuite({
    prefix,
    env: { THREESCALE_RESYNC_INTERVAL: '10s', ...env },
    prepare: async (s) => {
      holder.fake = await startFake3scale(await fakeOptions());
      await s.admin.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'threescale-provider-account', namespace: s.namespace },
        stringData: { adminURL: holder.fake.url, token: holder.fake.accessToken },
      });
    },
    cleanup: async () => {
      await removeFinalizers(suite.admin, suite.namespace);
      // Unset when prepare failed.
      await holder.fake?.close();
    },
  }) as CapabilitiesSuite;
  Object.defineProperty(suite, 'fake', { get: () => holder.fake });
  return suite;
}

async function removeFinalizers(admin: KubeClient, namespace: string): Promise<void> {
  for (const kind of Object.keys(CAPABILITY_KINDS) as CapabilityKindName[]) {
    for (const cr of (await admin.list<KubeObject>(apiVersionOf(kind), kind, namespace)).items) {
      if ((cr.metadata as { finalizers?: string[] }).finalizers?.length)
        await admin.mergePatch(apiVersionOf(kind), kind, namespace, cr.metadata.name, { metadata: { finalizers: null } });
    }
  }
}

export const cr = (
  kind: CapabilityKindName,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject => ({ apiVersion: apiVersionOf(kind), kind, metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec });

export async function getCr(
  admin: KubeClient,
  kind: CapabilityKindName,
  namespace: string,
  name: string,
): Promise<KubeObject & { status?: Record<string, unknown> }> {
  return admin.get(apiVersionOf(kind), kind, namespace, name);
}

/** Waits for condition `type` to be True (with the CR's current generation) and returns the CR. */
export async function waitFor(
  admin: KubeClient,
  kind: CapabilityKindName,
  namespace: string,
  name: string,
  type = 'Synced',
  timeoutMs = 30_000,
): Promise<KubeObject & { status?: Record<string, unknown> }> {
  let last: (KubeObject & { status?: Record<string, unknown> }) | undefined;
  await eventually(
    `${kind}/${name} ${type}`,
    async () => {
      last = await getCr(admin, kind, namespace, name).catch(() => undefined);
      const c = condition(last, type);
      return c?.status === 'True' && c.observedGeneration === last?.metadata.generation;
    },
    timeoutMs,
    200,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last conditions: ${JSON.stringify(last?.status?.conditions)}`);
  });
  if (last === undefined) throw new Error(`${kind}/${name} ${type}: never read`);
  return last;
}

/** The Events the operator recorded for one CR, oldest first. */
export async function eventsOf(
  admin: KubeClient,
  namespace: string,
  name: string,
): Promise<{ reason: string; message: string; type: string }[]> {
  const events = (
    await admin.list<KubeObject & { reason: string; message: string; type: string; involvedObject: { name: string } }>(
      'v1',
      'Event',
      namespace,
    )
  ).items;
  return events.filter((e) => e.involvedObject.name === name).map((e) => ({ reason: e.reason, message: e.message, type: e.type }));
}
