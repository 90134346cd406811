// The Backend and Product CRs an OpenAPI document describes, pure. One method and one mapping rule per operation
// (on the Product, as 3scale's toolbox imports them), the backend URL from servers[0] unless given, and the
// authentication from the first apiKey security scheme (user key in a header or the query); without one the
// product uses a user_key query parameter, 3scale's default.
import type { FieldError } from '../../model/types.js';
import type { BackendSpec, OpenApiSpec, ProductSpec } from '../api/kinds.js';
import type { Document } from '../openapi-document.js';
import { systemNameFrom } from '../sync/env.js';

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Generated {
  backend: BackendSpec;
  product: ProductSpec;
}

const methodName = (operationId: unknown, verb: string, path: string): string =>
  systemNameFrom(typeof operationId === 'string' && operationId !== '' ? operationId : `${verb}${path.replace(/[{}]/g, '')}`)
    .toLowerCase()
    .slice(0, 255);

function authentication(doc: Document): NonNullable<NonNullable<ProductSpec['deployment']>['apicastHosted']>['authentication'] {
  const schemes = ((doc.components as { securitySchemes?: Record<string, unknown> } | undefined)?.securitySchemes ??
    (doc.securityDefinitions as Record<string, unknown> | undefined) ??
    {}) as Record<string, { type?: string; in?: string; name?: string }>;
  const apiKey = Object.values(schemes).find(
    (s): s is { type: 'apiKey'; in: 'header' | 'query'; name: string } =>
      s.type === 'apiKey' && (s.in === 'header' || s.in === 'query') && typeof s.name === 'string',
  );
  if (!apiKey) return { userkey: { authUserKey: 'user_key', credentials: 'query' } };
  return { userkey: { authUserKey: apiKey.name, credentials: apiKey.in === 'header' ? 'headers' : 'query' } };
}

export function generateFromOpenApi(
  spec: OpenApiSpec,
  doc: Document,
): { ok: true; value: Generated } | { ok: false; errors: FieldError[] } {
  const info = doc.info as { title: string; description?: string };
  const servers = (doc.servers as { url?: string }[] | undefined) ?? [];
  const privateBaseURL = spec.privateBaseURL ?? servers[0]?.url;
  if (!privateBaseURL || !/^https?:\/\/[^/\s]+/.test(privateBaseURL)) {
    return { ok: false, errors: [{ path: 'spec.privateBaseURL', reason: 'unset, and the document has no absolute servers[0].url' }] };
  }
  const productSystemName = spec.productSystemName ?? systemNameFrom(info.title).toLowerCase();
  const methods: NonNullable<ProductSpec['methods']> = {};
  const mappingRules: NonNullable<ProductSpec['mappingRules']> = [];
  for (const [path, item] of Object.entries(
    doc.paths as Record<string, Partial<Record<string, { operationId?: string; summary?: string }>> | null>,
  )) {
    for (const verb of OPERATIONS) {
      const operation = item?.[verb];
      if (!operation) continue;
      const name = methodName(operation.operationId, verb, path);
      methods[name] = {
        friendlyName: operation.summary ?? operation.operationId ?? `${verb.toUpperCase()} ${path}`,
        ...(operation.summary ? { description: operation.summary } : {}),
      };
      mappingRules.push({
        httpMethod: verb.toUpperCase() as 'GET',
        pattern: spec.prefixMatching ? path : `${path}$`,
        metricMethodRef: name,
        increment: 1,
        last: false,
      });
    }
  }
  const security =
    spec.privateAPIHostHeader || spec.privateAPISecretToken
      ? {
          security: {
            ...(spec.privateAPIHostHeader ? { hostHeader: spec.privateAPIHostHeader } : {}),
            ...(spec.privateAPISecretToken ? { secretToken: spec.privateAPISecretToken } : {}),
          },
        }
      : {};
  const auth = authentication(doc);
  const withSecurity = auth?.userkey ? { userkey: { ...auth.userkey, ...security } } : auth;
  const backendSystemName = `${productSystemName}_backend`;
  const providerAccountRef = spec.providerAccountRef ? { providerAccountRef: spec.providerAccountRef } : {};
  return {
    ok: true,
    value: {
      backend: {
        name: `${info.title} Backend`,
        systemName: backendSystemName,
        privateBaseURL,
        ...(info.description ? { description: info.description } : {}),
        ...providerAccountRef,
      },
      product: {
        name: info.title,
        systemName: productSystemName,
        ...(info.description ? { description: info.description } : {}),
        deployment:
          spec.productionPublicBaseURL || spec.stagingPublicBaseURL
            ? {
                apicastSelfManaged: {
                  ...(spec.productionPublicBaseURL ? { productionPublicBaseURL: spec.productionPublicBaseURL } : {}),
                  ...(spec.stagingPublicBaseURL ? { stagingPublicBaseURL: spec.stagingPublicBaseURL } : {}),
                  authentication: withSecurity,
                },
              }
            : { apicastHosted: { authentication: withSecurity } },
        backendUsages: { [backendSystemName]: { path: '/' } },
        methods,
        mappingRules,
        ...providerAccountRef,
      },
    },
  };
}
