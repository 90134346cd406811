// Schema parts shared by the capabilities.3scale.net CRs: how a CR names its 3scale account, the metric and
// mapping-rule shapes Backends and Products share, and the status every capabilities CR reports.
import { arr, bool, conditions, int64, mapOf, obj, str, type Schema } from '../../api/schema-parts.js';

export const CAPABILITIES_GROUP = 'capabilities.3scale.net';
export const V1BETA1 = `${CAPABILITIES_GROUP}/v1beta1`;
export const V1ALPHA1 = `${CAPABILITIES_GROUP}/v1alpha1`;

/** The Secret the CRs use when they name none (keys adminURL and token). */
export const DEFAULT_PROVIDER_ACCOUNT_SECRET = 'threescale-provider-account';
/** Set to "true" on a CR to accept the admin portal's certificate unverified (self-signed test installs). */
export const INSECURE_SKIP_VERIFY_ANNOTATION = 'insecure_skip_verify';

export const providerAccountRef = () =>
  obj(
    'Secret with keys adminURL and token of the 3scale account to manage; unset = the Secret threescale-provider-account in this namespace.',
    {
      name: str('Name of the Secret in the same namespace.', { minLength: 1 }),
    },
    { required: ['name'] },
  );

export const systemName = () =>
  str('3scale system_name: unique in its scope, not changeable once created; unset = derived from name.', {
    pattern: '^[a-zA-Z0-9_-]+$',
    maxLength: 255,
  });

export const metricMethodRef = () =>
  str('system_name of the metric or method the rule counts (hits, a metric, or a method).', { minLength: 1 });

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT'] as const;

export const mappingRules = () =>
  arr(
    'Mapping rules, in the order the gateway tries them.',
    obj(
      'One mapping rule.',
      {
        httpMethod: str('HTTP method.', { enum: HTTP_METHODS }),
        pattern: str('Path pattern: starts with /, may hold {name} placeholders and end in $.', { pattern: '^/' }),
        metricMethodRef: metricMethodRef(),
        increment: int64('Usage added per matching request.', { minimum: 1, default: 1 }),
        last: bool('Stop matching further rules after this one.', { default: false }),
      },
      { required: ['httpMethod', 'pattern', 'metricMethodRef', 'increment'] },
    ),
  );

export const metrics = () =>
  mapOf(
    'Metrics by system_name (hits always exists).',
    obj(
      'One metric.',
      {
        friendlyName: str('Name shown in the admin portal.', { minLength: 1 }),
        unit: str('Unit (hit, call, ...).', { minLength: 1 }),
        description: str('Description.'),
      },
      { required: ['friendlyName', 'unit'] },
    ),
  );

export const methods = () =>
  mapOf(
    'Methods (children of hits) by system_name.',
    obj(
      'One method.',
      {
        friendlyName: str('Name shown in the admin portal.', { minLength: 1 }),
        description: str('Description.'),
      },
      { required: ['friendlyName'] },
    ),
  );

/** The status fields every capabilities CR has, plus its own ids. */
export const statusWith = <P extends Record<string, Schema<unknown>>>(properties: P) =>
  obj('Observed state.', {
    ...properties,
    providerAccountHost: str('Admin portal host this CR is synced with.'),
    observedGeneration: int64('metadata.generation of the last pass.'),
    conditions,
    driftCorrections: int64('Changes made in 3scale behind the CR (admin UI, API) that the operator put back, since the CR was created.'),
    created: bool('True when this CR created its 3scale object (deleting the CR then deletes it); false when it adopted an existing one.'),
  });
