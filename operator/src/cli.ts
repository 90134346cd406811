// `threescale-operator` entry: render | crds | run | deploy-manifests | templates | bundle.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderDocument } from './render/render.js';
import { toMultiDocumentYaml } from './render/yaml.js';
import { isFlavour } from './flavours/index.js';
import { CRD_FILES, crdYaml } from './api/crds.js';
import { runOperator } from './controller/run-command.js';
import { writeDeployManifests } from './deploy/command.js';
import { templatesCommand } from './templates/command.js';
import { bundleCommand } from './bundle/command.js';

const USAGE = `usage: threescale-operator <command>
  render --file CR.yaml [--flavour openshift|kubernetes]   print every object the CR produces
  crds --out DIR                                            write the CustomResourceDefinitions
  run [--flavour F] [--health-port N] [--health-bind ADDR] [--no-leader-elect] [--kubeconfig FILE]
                                                            run the controller (env: WATCH_NAMESPACE, OPERATOR_NAMESPACE)
  deploy-manifests --out DIR [--image IMAGE]                write the install manifests (namespaced, cluster-wide)
  templates [--out DIR]                                     write the OpenShift templates (default: templates)
  bundle [--out DIR]                                        write the OLM bundle to DIR/bundle (default: manifests)
`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args.at(i + 1);
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

class UsageError extends Error {}

function render(args: string[]): number {
  const file = option(args, '--file');
  if (file === undefined) throw new UsageError('render needs --file CR.yaml');
  const flavour = option(args, '--flavour') ?? process.env.THREESCALE_FLAVOUR ?? 'openshift';
  if (!isFlavour(flavour)) throw new UsageError(`--flavour must be openshift or kubernetes, got ${JSON.stringify(flavour)}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`error: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 1;
  }
  const documents = parseAllDocuments(text).filter((d) => d.contents !== null);
  const parseErrors = documents.flatMap((d) => d.errors);
  if (parseErrors.length > 0 || documents.length === 0) {
    for (const e of parseErrors) process.stderr.write(`error: ${file}: YAML: ${e.message}\n`);
    if (documents.length === 0) process.stderr.write(`error: ${file}: no document\n`);
    return 1;
  }
  let out = '';
  let failed = false;
  for (const [index, doc] of documents.entries()) {
    const outcome = renderDocument(doc.toJS(), { flavour, env: process.env });
    if (!outcome.ok) {
      failed = true;
      const where = documents.length > 1 ? ` (document ${index + 1})` : '';
      for (const e of outcome.errors) process.stderr.write(`error: ${file}${where}: ${e.path}: ${e.reason}\n`);
      continue;
    }
    const where = documents.length > 1 ? ` (document ${index + 1})` : '';
    for (const w of outcome.warnings) process.stderr.write(`warning: ${file}${where}: ${w.path}: ${w.reason}\n`);
    const js: unknown = doc.toJS();
    const ns = typeof js === 'object' && js !== null && 'metadata' in js ? (js.metadata as { namespace?: unknown }).namespace : undefined;
    out += toMultiDocumentYaml(outcome.result, typeof ns === 'string' ? ns : undefined);
  }
  // Nothing on stdout when any document is invalid.
  if (failed) return 1;
  process.stdout.write(out);
  return 0;
}

function crds(args: string[]): number {
  const dir = option(args, '--out');
  if (dir === undefined) throw new UsageError('crds needs --out DIR');
  mkdirSync(dir, { recursive: true });
  for (const [file, crd] of Object.entries(CRD_FILES)) writeFileSync(join(dir, file), crdYaml(crd));
  return 0;
}

function main(argv: string[]): number {
  const command = argv.at(0);
  const args = argv.slice(1);
  try {
    switch (command) {
      case 'render':
        return render(args);
      case 'crds':
        return crds(args);
      case 'run':
        // The controller keeps the process alive; runOperator sets the exit code on failure.
        void runOperator(args);
        return 0;
      case 'deploy-manifests':
        return writeDeployManifests(args, option(args, '--out'));
      case 'templates':
        // Asynchronous; sets process.exitCode itself.
        void templatesCommand(args);
        return 0;
      case 'bundle':
        void bundleCommand(args);
        return 0;
      default:
        process.stderr.write(USAGE);
        return command === undefined || command === '--help' ? 0 : 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

const code = main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
