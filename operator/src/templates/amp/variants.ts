// The six amp*.yml templates (operator-objects §7.1, §7.3): a model per variant, fed to the operator's own
// builders with placeholder values, then the post-processing adapters and the parameter list.
import type { TemplateParameter } from '../../openshift/index.js';
import type { KubeObject } from '../../components/common/desired.js';
import { buildApiManagerObjects } from '../../components/index.js';
import { resolveSecrets } from '../../secrets/resolve.js';
import { templateValueSource } from '../../secrets/value-source.js';
import type { TemplateDefinition } from '../document.js';
import { type TemplateModelOptions, templateApiManagerModel } from './template-model.js';
import { addS3Secret, highAvailability } from './adapters.js';
import * as P from '../parameters/amp.js';

interface AmpVariant {
  file: string;
  name: string;
  description: string;
  model: TemplateModelOptions;
  parameters: readonly TemplateParameter[];
  adapters: readonly ((objects: readonly KubeObject[]) => KubeObject[])[];
}

const MYSQL_PARAMETERS = [...P.BASE_PARAMETERS, ...P.IMAGE_PARAMETERS, ...P.MYSQL_IMAGE_PARAMETERS, ...P.REDIS_PARAMETERS, ...P.MYSQL_PARAMETERS, ...P.SYSTEM_AND_REST_PARAMETERS];
const withoutRwxStorageClass = (ps: readonly TemplateParameter[]): TemplateParameter[] => ps.filter((p) => p.name !== 'RWX_STORAGE_CLASS');
const S3_PARAMETER_LIST = [...withoutRwxStorageClass(MYSQL_PARAMETERS), ...P.S3_PARAMETERS];
const HA_PARAMETER_LIST = [
  ...MYSQL_PARAMETERS
    .filter((p) => !P.HA_REMOVED_PARAMETERS.includes(p.name))
    .map((p) => {
      if (!P.HA_UNDEFAULTED_PARAMETERS.includes(p.name)) return p;
      const { value: _dropped, ...rest } = p;
      return rest;
    }),
  ...P.HA_PARAMETERS,
];

const MAIN = '3scale API Management main system';
const standard = { database: 'mysql', fileStorage: 'pvc', resourceRequirements: true, podDisruptionBudgets: false } as const;

export const AMP_VARIANTS: readonly AmpVariant[] = [
  { file: 'amp.yml', name: '3scale-api-management', description: MAIN, model: standard, parameters: MYSQL_PARAMETERS, adapters: [] },
  {
    file: 'amp-eval.yml', name: '3scale-api-management-eval', description: `${MAIN} (Evaluation)`,
    model: { ...standard, resourceRequirements: false }, parameters: MYSQL_PARAMETERS, adapters: [],
  },
  {
    file: 'amp-s3.yml', name: '3scale-api-management-s3', description: `${MAIN} with shared file storage in AWS S3.`,
    model: { ...standard, fileStorage: 's3' }, parameters: S3_PARAMETER_LIST, adapters: [addS3Secret],
  },
  {
    file: 'amp-eval-s3.yml', name: '3scale-api-management-eval-s3', description: `${MAIN} (Evaluation) with shared file storage in AWS S3.`,
    model: { ...standard, fileStorage: 's3', resourceRequirements: false }, parameters: S3_PARAMETER_LIST, adapters: [addS3Secret],
  },
  {
    file: 'amp-ha.yml', name: '3scale-api-management-ha', description: `${MAIN} (High Availability)`,
    model: { ...standard, podDisruptionBudgets: true }, parameters: HA_PARAMETER_LIST, adapters: [highAvailability],
  },
  {
    file: 'amp-postgresql.yml', name: '3scale-api-management-postgresql', description: `${MAIN} with PostgreSQL as System's database`,
    model: { ...standard, database: 'postgresql' },
    parameters: [...P.BASE_PARAMETERS, ...P.IMAGE_PARAMETERS, ...P.POSTGRESQL_IMAGE_PARAMETERS, ...P.REDIS_PARAMETERS, ...P.POSTGRESQL_PARAMETERS, ...P.SYSTEM_AND_REST_PARAMETERS],
    adapters: [],
  },
];

export const AMP_ANNOTATIONS = {
  'openshift.io/display-name': '3scale API Management',
  'openshift.io/provider-display-name': 'Red Hat, Inc.',
  iconClass: 'icon-3scale',
  tags: 'integration, api management, 3scale',
} as const;

export const AMP_MESSAGE = 'Login on https://${TENANT_NAME}-admin.${WILDCARD_DOMAIN} as ${ADMIN_USERNAME}/${ADMIN_PASSWORD}';

/** Builds the objects of one variant with the operator's builders (no cluster, no existing Secrets). */
export function ampTemplateObjects(variant: AmpVariant): KubeObject[] {
  const model = templateApiManagerModel(variant.model);
  const secrets = resolveSecrets(model, new Map(), templateValueSource, { checkUserSecrets: false });
  const built = buildApiManagerObjects({ model, secrets }).objects.map((d) => d.object);
  return variant.adapters.reduce<KubeObject[]>((objects, adapt) => adapt(objects), built);
}

export function ampTemplateDefinition(variant: AmpVariant): TemplateDefinition {
  return {
    file: variant.file,
    name: variant.name,
    annotations: { ...AMP_ANNOTATIONS, description: variant.description },
    message: AMP_MESSAGE,
    objects: ampTemplateObjects(variant),
    parameters: variant.parameters,
  };
}
