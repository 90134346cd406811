// Small constructors for the plain core objects the builders emit.
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { Claim } from '../../model/types.js';
import type { Labels } from './labels.js';
import { selectorFor } from './labels.js';
import { type DesiredObject, type KubeObject, createOnly, desired } from './desired.js';

export function service(name: string, labels: Labels, ports: IServicePort[], selectDc: string): DesiredObject {
  return desired(
    { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { ports, selector: selectorFor(selectDc) } },
    createOnly,
  );
}

export function configMap(name: string, labels: Labels | undefined, data: Record<string, string>): DesiredObject {
  return desired({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data }, createOnly);
}

/** `size` is the default request; the CR's claim settings apply at creation only (a bound claim is user data). */
export function persistentVolumeClaim(
  name: string,
  labels: Labels,
  accessMode: 'ReadWriteOnce' | 'ReadWriteMany',
  size: string,
  claim: Claim,
): DesiredObject {
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, labels },
    spec: {
      accessModes: [accessMode],
      resources: { requests: { storage: claim.storageRequest ?? size } },
      ...(claim.storageClassName !== undefined ? { storageClassName: claim.storageClassName } : {}),
      ...(claim.volumeName !== undefined ? { volumeName: claim.volumeName } : {}),
    },
  };
  return desired(object, createOnly, false);
}

export const tcp = (port: number, name?: string): IServicePort => ({
  ...(name !== undefined ? { name } : {}),
  port,
  protocol: 'TCP' as const,
  targetPort: port,
});
