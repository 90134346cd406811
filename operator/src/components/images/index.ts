// ImageStreams and the `amp` ServiceAccount (operator-objects §4.1, inventory #1–7).
import type { ApiManagerModel } from '../../model/types.js';
import type { ImageStream } from '../common/openshift-types.js';
import { type Labels, componentLabels } from '../common/labels.js';
import { type DesiredObject, createOnly, desired } from '../common/desired.js';
import type { BuildContext } from '../common/context.js';

export function imageStream(
  model: ApiManagerModel,
  name: string,
  labels: Labels,
  displayName: string,
  tagDisplayName: string,
  image: string,
): DesiredObject<ImageStream> {
  return desired(
    {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name, labels, annotations: { 'openshift.io/display-name': displayName } },
      spec: {
        lookupPolicy: { local: false },
        tags: [
          {
            name: model.release,
            annotations: { 'openshift.io/display-name': tagDisplayName },
            from: { kind: 'DockerImage', name: image },
            importPolicy: { insecure: model.imageStreamTagImportInsecure },
            referencePolicy: { type: '' },
          },
        ],
      },
    },
    { mode: 'imagestream-tags' },
  );
}

export function buildImages(ctx: BuildContext): DesiredObject[] {
  const m = ctx.model;
  const rel = m.release;
  return [
    imageStream(m, 'amp-backend', componentLabels(m, 'backend'), 'AMP backend', `amp-backend ${rel}`, m.images.backend),
    imageStream(m, 'amp-zync', componentLabels(m, 'zync'), 'AMP Zync', `AMP Zync ${rel}`, m.images.zync),
    imageStream(m, 'amp-apicast', componentLabels(m, 'apicast'), 'AMP APIcast', `AMP APIcast ${rel}`, m.images.apicast),
    imageStream(m, 'amp-system', componentLabels(m, 'system'), 'AMP System', `AMP system ${rel}`, m.images.system),
    ...(m.external.zyncDatabase
      ? []
      : [
          imageStream(
            m,
            'zync-database-postgresql',
            componentLabels(m, 'system'),
            'Zync database PostgreSQL',
            `Zync ${rel} PostgreSQL`,
            m.images.zyncPostgresql,
          ),
        ]),
    imageStream(
      m,
      'system-memcached',
      componentLabels(m, 'system'),
      'System Memcached',
      `System ${rel} Memcached`,
      m.images.systemMemcached,
    ),
    ampServiceAccount(m),
  ];
}

/**
 * The workloads' ServiceAccount. Without spec.imagePullSecrets it is 2.9's (create-only, threescale-registry-auth);
 * with it the list is reconciled, keeping the pull secrets OpenShift adds to every ServiceAccount.
 */
function ampServiceAccount(m: ApiManagerModel): DesiredObject {
  const names = m.imagePullSecrets ?? ['threescale-registry-auth'];
  const object = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'amp' }, imagePullSecrets: names.map((name) => ({ name })) };
  return desired(object, m.imagePullSecrets !== undefined ? { mode: 'pull-secrets' } : createOnly);
}
