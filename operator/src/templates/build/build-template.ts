// build.yml: builds the system image with the Oracle Database client (operator.md §3.5, seed "3scale system
// image with Oracle Database"). Red Hat cannot ship Oracle's client, so the user uploads the Instant Client
// zip files with `oc start-build 3scale-amp-system-oracle --from-dir=<folder with the zips>`; the build adds
// them to the 3scale system image and pushes `amp-system-oracle:${AMP_RELEASE}`.
// Hand-written in the original (one BuildConfig, legacy `v1` kinds); ours is generated with group versions,
// its base ImageStream comes from the same ImageStream builder as amp.yml's, and the Dockerfile is inline so
// the uploaded folder only needs the zips.
import type { TemplateParameter } from '../../openshift/index.js';
import type { KubeObject } from '../../components/common/desired.js';
import { imageStream } from '../../components/images/index.js';
import { IMAGE_SOURCES } from '../../model/images.js';
import { templateApiManagerModel } from '../amp/template-model.js';
import { AMP_RELEASE_DEFAULT } from '../parameters/amp.js';
import type { TemplateDefinition } from '../document.js';

export const ORACLE_BUILD_NAME = '3scale-amp-system-oracle';
const BASE_STREAM = 'amp-system-base';
const OUTPUT_STREAM = 'amp-system-oracle';
const labels = { app: '${APP_LABEL}', threescale_component: 'system' };

/**
 * The build recipe. The Docker strategy's `from` replaces the FROM image with amp-system-base:<release>.
 * The client goes where the system image's own installer script expects it; `bundle install --local`
 * then compiles the Oracle adapter gems against it. Back to the image's non-root user at the end.
 */
export const ORACLE_DOCKERFILE = [
  'FROM amp-system-base',
  'USER root',
  'COPY instantclient-basic*-linux.x64*.zip instantclient-sdk-linux.x64*.zip instantclient-odbc-linux.x64*.zip /opt/system/vendor/oracle/',
  'ENV LD_LIBRARY_PATH=/opt/oracle/instantclient/ ORACLE_HOME=/opt/oracle/instantclient/ DB=oracle NLS_LANG=AMERICAN_AMERICA.UTF8 TZ=utc',
  'RUN ./script/oracle/install-instantclient-packages.sh && source /opt/app-root/etc/scl_enable && bundle install --local --deployment --retry=5',
  'USER 1001',
  '',
].join('\n');

function objects(): KubeObject[] {
  const model = { ...templateApiManagerModel({ database: 'mysql', fileStorage: 'pvc', resourceRequirements: true, podDisruptionBudgets: false }) };
  const base = imageStream(model, BASE_STREAM, labels, 'AMP System (Oracle build base)', `AMP system ${model.release}`, '${AMP_SYSTEM_IMAGE}').object;
  const output: KubeObject = {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: OUTPUT_STREAM, labels, annotations: { 'openshift.io/display-name': 'AMP System with Oracle client' } },
    spec: { lookupPolicy: { local: false } },
  };
  const buildConfig: KubeObject = {
    apiVersion: 'build.openshift.io/v1',
    kind: 'BuildConfig',
    metadata: { name: ORACLE_BUILD_NAME, labels },
    spec: {
      runPolicy: 'Serial',
      source: { type: 'Binary', binary: {}, dockerfile: ORACLE_DOCKERFILE },
      strategy: {
        type: 'Docker',
        dockerStrategy: {
          from: { kind: 'ImageStreamTag', name: `${BASE_STREAM}:\${AMP_RELEASE}` },
          pullSecret: { name: '${PULLSECRET_NAME}' },
          forcePull: true,
        },
      },
      output: { to: { kind: 'ImageStreamTag', name: `${OUTPUT_STREAM}:\${AMP_RELEASE}` } },
      // Binary builds only start from `oc start-build --from-dir`: no automatic triggers.
      triggers: [],
    },
  };
  return [base, output, buildConfig];
}

const p = (name: string, fields: Omit<TemplateParameter, 'name'>): TemplateParameter => ({ name, ...fields });

export const BUILD_PARAMETERS: readonly TemplateParameter[] = [
  p('AMP_RELEASE', { description: '3scale AMP release version', value: AMP_RELEASE_DEFAULT, required: true }),
  p('APP_LABEL', { description: 'Used for object app labels', value: '3scale-api-management', required: true }),
  p('AMP_SYSTEM_IMAGE', { description: 'The 3scale system image the Oracle client is added to', value: IMAGE_SOURCES.system.builtIn, required: true }),
  p('IMAGESTREAM_TAG_IMPORT_INSECURE', {
    description: 'Set to true if the server may bypass certificate verification or connect directly over HTTP during image import.',
    value: 'false',
    required: true,
  }),
  p('PULLSECRET_NAME', {
    description: 'PullSecret is the name of a Secret that would be used for setting up the authentication for pulling the Docker images from the private Docker registries',
    value: 'threescale-registry-auth',
    required: true,
  }),
];

export function buildTemplateDefinition(): TemplateDefinition {
  return {
    file: 'build.yml',
    name: 'amp-system-oracle',
    annotations: {
      'openshift.io/display-name': '3scale system image with Oracle Database client',
      'openshift.io/provider-display-name': 'Red Hat, Inc.',
      iconClass: 'icon-3scale',
      description: '3scale AMP system Oracle Template: builds the system image with the Oracle Instant Client you provide',
      tags: 'integration, api management, 3scale',
    },
    message: [
      `Put the Oracle Instant Client zip files (basic or basiclite, sdk, odbc) in one folder, then run`,
      `"oc start-build ${ORACLE_BUILD_NAME} --from-dir=<that folder>". The image is pushed to ${OUTPUT_STREAM}:\${AMP_RELEASE};`,
      `deploy it with "oc tag ${OUTPUT_STREAM}:\${AMP_RELEASE} amp-system:\${AMP_RELEASE}", and set the system-database`,
      'Secret: URL=oracle-enhanced://user:password@host:1521/service, ORACLE_SYSTEM_PASSWORD=<Oracle SYSTEM password>.',
    ].join(' '),
    objects: objects(),
    parameters: BUILD_PARAMETERS,
  };
}
