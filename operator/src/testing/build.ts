// Test helpers: build the object set of a CR spec the way render does, with a recognisable value source.
import type { APIManager, APIManagerSpec } from '../api/types.js';
import { toApiManagerModel } from '../model/apimanager.js';
import type { ApiManagerModel } from '../model/types.js';
import { type ExistingSecrets, resolveSecrets } from '../secrets/resolve.js';
import { operatorValueSource } from '../secrets/value-source.js';
import { buildApiManagerObjects } from '../components/index.js';
import type { BuildResult, DesiredObject, KubeObject } from '../components/common/desired.js';
import { type Flavour, applyFlavour } from '../flavours/index.js';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';

export function apiManager(spec: Partial<APIManagerSpec> = {}, name = 'example'): APIManager {
  return {
    apiVersion: 'apps.3scale.net/v1alpha1',
    kind: 'APIManager',
    metadata: { name, namespace: 'ns1' },
    spec: { wildcardDomain: 'example.com', ...spec },
  };
}

export function modelOf(spec: Partial<APIManagerSpec> = {}, env: Record<string, string> = {}): ApiManagerModel {
  const result = toApiManagerModel(apiManager(spec), env);
  if (!result.ok) throw new Error(`invalid test CR: ${JSON.stringify(result.errors)}`);
  return result.value;
}

export function build(
  spec: Partial<APIManagerSpec> = {},
  options: { flavour?: Flavour; existing?: ExistingSecrets; checkUserSecrets?: boolean } = {},
): BuildResult {
  const model = modelOf(spec);
  const secrets = resolveSecrets(model, options.existing ?? new Map(), operatorValueSource, {
    checkUserSecrets: options.checkUserSecrets ?? false,
  });
  return applyFlavour(buildApiManagerObjects({ model, secrets }), options.flavour ?? 'openshift', model);
}

/** The built object with its reconcile rule (find() gives only the object). */
export function desiredOf(result: BuildResult, kind: string, name: string): DesiredObject {
  const found = result.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name);
  if (found === undefined) throw new Error(`${kind} ${name} not built`);
  return found;
}

export function find(result: BuildResult, kind: string, name: string): KubeObject {
  const found = result.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name);
  if (found === undefined) throw new Error(`${kind} ${name} not built`);
  return found.object;
}

export function names(result: BuildResult, kind: string): string[] {
  return result.objects.filter((o) => o.object.kind === kind).map((o) => o.object.metadata.name);
}

interface PodTemplateHolder {
  spec: { template: { spec: { containers: IContainer[]; initContainers?: IContainer[] } } };
}

export function containerOf(object: KubeObject, name: string, init = false): IContainer {
  const pod = (object as unknown as PodTemplateHolder).spec.template.spec;
  const list = init ? (pod.initContainers ?? []) : pod.containers;
  const found = list.find((c) => c.name === name);
  if (found === undefined) throw new Error(`container ${name} not in ${object.metadata.name}`);
  return found;
}

/** Env in the notation of operator-objects §0: `sec:N/K`, `sec?:N/K`, `cm:N/K`, `"x"`, `field:P`. */
export function envNotation(env: IEnvVar[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env ?? []) {
    const s = e.valueFrom?.secretKeyRef;
    const c = e.valueFrom?.configMapKeyRef;
    const f = e.valueFrom?.fieldRef;
    out[e.name] = s
      ? `${s.optional === true ? 'sec?' : 'sec'}:${s.name}/${s.key}`
      : c
        ? `cm:${c.name}/${c.key}`
        : f
          ? `field:${f.fieldPath}`
          : JSON.stringify(e.value);
  }
  return out;
}

export function secretData(result: BuildResult, name: string): Partial<Record<string, string>> {
  return (find(result, 'Secret', name) as { stringData?: Partial<Record<string, string>> }).stringData ?? {};
}
