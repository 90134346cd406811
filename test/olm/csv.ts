/**
 * The parts of our bundle's ClusterServiceVersion the OLM test reads or changes: install strategy (Deployments,
 * permissions, clusterPermissions), owned CRDs, alm-examples, name/version/replaces. Typed narrowly on purpose:
 * a field the test relies on that the bundle generator stops writing fails the type or the test, not silently.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
}

export interface CsvDeployment {
  name: string;
  spec: { template: { spec: { serviceAccountName: string; containers: Container[] } } };
}

export interface CsvPermission {
  serviceAccountName: string;
  rules: PolicyRule[];
}

export interface Csv {
  apiVersion: string;
  kind: 'ClusterServiceVersion';
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: {
    version: string;
    replaces?: string;
    customresourcedefinitions: { owned: { name: string; version: string; kind: string }[] };
    install: {
      strategy: 'deployment';
      spec: { deployments: CsvDeployment[]; permissions?: CsvPermission[]; clusterPermissions?: CsvPermission[] };
    };
  };
}

/** The bundle's `metadata/annotations.yaml`: package and channel names. */
export interface BundleAnnotations {
  packageName: string;
  defaultChannel: string;
}

const CSV_SUFFIX = '.clusterserviceversion.yaml';

async function csvPath(bundleDir: string): Promise<string> {
  const files = (await readdir(join(bundleDir, 'manifests'))).filter((f) => f.endsWith(CSV_SUFFIX));
  if (files.length !== 1) throw new Error(`${bundleDir}/manifests: expected one *${CSV_SUFFIX}, found ${files.length}`);
  return join(bundleDir, 'manifests', files[0] ?? '');
}

export async function readCsv(bundleDir: string): Promise<Csv> {
  return parse(await readFile(await csvPath(bundleDir), 'utf8')) as Csv;
}

export async function writeCsv(bundleDir: string, csv: Csv): Promise<void> {
  await writeFile(await csvPath(bundleDir), stringify(csv, { lineWidth: 0 }));
}

export async function readAnnotations(bundleDir: string): Promise<BundleAnnotations> {
  const doc = parse(await readFile(join(bundleDir, 'metadata', 'annotations.yaml'), 'utf8')) as {
    annotations: Record<string, string | undefined>;
  };
  const packageName = doc.annotations['operators.operatorframework.io.bundle.package.v1'];
  const defaultChannel =
    doc.annotations['operators.operatorframework.io.bundle.channel.default.v1'] ??
    doc.annotations['operators.operatorframework.io.bundle.channels.v1']?.split(',')[0];
  if (!packageName || !defaultChannel) throw new Error(`${bundleDir}/metadata/annotations.yaml: package or channel missing`);
  return { packageName, defaultChannel };
}

/** The CSV's alm-examples annotation (the sample CRs the console offers). */
export function almExamples(csv: Csv): { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown }[] {
  const text = csv.metadata.annotations?.['alm-examples'];
  if (!text) throw new Error(`${csv.metadata.name}: no alm-examples annotation`);
  return JSON.parse(text) as { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown }[];
}

/** `1.2.3` → `1.2.4` (the bundle versions are plain semver). */
export function nextPatch(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`not a plain x.y.z version: ${version}`);
  return `${match[1]}.${match[2]}.${Number(match[3]) + 1}`;
}
