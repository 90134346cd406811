// A structural schema for the parts of build.openshift.io/v1 BuildConfig that build.yml uses, written from
// openshift/api build/v1 types (BuildConfigSpec, BuildSource, BuildStrategy, DockerBuildStrategy,
// BuildOutput). Unknown fields are rejected, like the API server's strict field validation.
import { Ajv } from 'ajv';

const objectReference = {
  type: 'object',
  required: ['kind', 'name'],
  additionalProperties: false,
  properties: { kind: { enum: ['ImageStreamTag', 'ImageStreamImage', 'DockerImage'] }, name: { type: 'string', minLength: 1 }, namespace: { type: 'string' } },
};

const schema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'build.openshift.io/v1' },
    kind: { const: 'BuildConfig' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' } } },
    spec: {
      type: 'object',
      required: ['source', 'strategy'],
      additionalProperties: false,
      properties: {
        runPolicy: { enum: ['Serial', 'Parallel', 'SerialLatestOnly'] },
        source: {
          type: 'object',
          required: ['type'],
          additionalProperties: false,
          properties: {
            type: { enum: ['Git', 'Dockerfile', 'Binary', 'Image', 'None'] },
            binary: { type: 'object', additionalProperties: false, properties: { asFile: { type: 'string' } } },
            dockerfile: { type: 'string' },
            contextDir: { type: 'string' },
          },
        },
        strategy: {
          type: 'object',
          required: ['type'],
          additionalProperties: false,
          properties: {
            type: { enum: ['Docker', 'Source', 'Custom', 'JenkinsPipeline'] },
            dockerStrategy: {
              type: 'object',
              additionalProperties: false,
              properties: {
                from: objectReference,
                pullSecret: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
                forcePull: { type: 'boolean' },
                noCache: { type: 'boolean' },
                dockerfilePath: { type: 'string' },
              },
            },
          },
        },
        output: { type: 'object', additionalProperties: false, properties: { to: objectReference } },
        triggers: { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { enum: ['ConfigChange', 'ImageChange', 'GitHub', 'Generic', 'GitLab', 'Bitbucket'] } } } },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

export function validateBuildConfig(object: unknown): string[] {
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ''}`);
}
