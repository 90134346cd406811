// `threescale-operator deploy-manifests --out DIR [--image IMAGE]`: writes manifests/deploy in two variants,
// DIR/namespaced (Role, watches its own namespace) and DIR/cluster-wide (ClusterRole, watches all namespaces),
// each with the CRDs and the sample CRs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CRD_FILES } from '../api/crds.js';
import { OPERATOR_PACKAGE_VERSION } from '../model/version.js';
import { deployManifests } from './manifests.js';
import { SAMPLE_APICAST, SAMPLE_APICAST_SECRET, SAMPLE_APIMANAGER } from './samples.js';

export const DEFAULT_OPERATOR_IMAGE = `quay.io/threescale-ts/threescale-operator:${OPERATOR_PACKAGE_VERSION}`;

const multiDoc = (objects: unknown[]): string => objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

export function writeDeployManifests(args: string[], out: string | undefined): number {
  if (out === undefined) {
    process.stderr.write('error: deploy-manifests needs --out DIR\n');
    return 2;
  }
  const imageIndex = args.indexOf('--image');
  const image = imageIndex >= 0 ? args[imageIndex + 1] : DEFAULT_OPERATOR_IMAGE;
  if (!image || image.startsWith('--')) {
    process.stderr.write('error: --image needs a value\n');
    return 2;
  }
  for (const [dir, scope] of [
    ['namespaced', 'namespaced'],
    ['cluster-wide', 'cluster'],
  ] as const) {
    const target = join(out, dir);
    mkdirSync(join(target, 'crds'), { recursive: true });
    for (const file of deployManifests({ image }, scope)) writeFileSync(join(target, file.name), multiDoc(file.objects));
    for (const [file, crd] of Object.entries(CRD_FILES)) writeFileSync(join(target, 'crds', file), multiDoc([crd]));
    writeFileSync(join(target, 'samples.yaml'), multiDoc([SAMPLE_APIMANAGER, SAMPLE_APICAST_SECRET, SAMPLE_APICAST]));
  }
  return 0;
}
