// kubernetes flavour: one Ingress per default host, since no zync-que creates Routes there (operator.md §9).
import type { ApiManagerModel } from '../model/types.js';
import { componentLabels } from '../components/common/labels.js';
import { type DesiredObject, createOnly, desired } from '../components/common/desired.js';

export interface DefaultHost {
  ingress: string;
  host: string;
  service: string;
  port: string;
  component: string;
}

export function defaultHosts(m: ApiManagerModel): DefaultHost[] {
  const d = m.wildcardDomain;
  const t = m.tenantName;
  return [
    { ingress: 'backend', host: `backend-${t}.${d}`, service: 'backend-listener', port: 'http', component: 'backend' },
    { ingress: 'system-master', host: `master.${d}`, service: 'system-master', port: 'http', component: 'system' },
    { ingress: 'system-provider', host: `${t}-admin.${d}`, service: 'system-provider', port: 'http', component: 'system' },
    { ingress: 'system-developer', host: `${t}.${d}`, service: 'system-developer', port: 'http', component: 'system' },
    {
      ingress: 'apicast-staging',
      host: `api-${t}-apicast-staging.${d}`,
      service: 'apicast-staging',
      port: 'gateway',
      component: 'apicast',
    },
    {
      ingress: 'apicast-production',
      host: `api-${t}-apicast-production.${d}`,
      service: 'apicast-production',
      port: 'gateway',
      component: 'apicast',
    },
  ];
}

export function defaultIngresses(m: ApiManagerModel): DesiredObject[] {
  return defaultHosts(m).map((h) =>
    desired(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: h.ingress, labels: componentLabels(m, h.component) },
        spec: {
          // TLS section mirrors the Routes' edge termination; the certificate is the ingress controller's default.
          tls: [{ hosts: [h.host] }],
          rules: [
            {
              host: h.host,
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: h.service, port: { name: h.port } } } }] },
            },
          ],
        },
      },
      createOnly,
    ),
  );
}
