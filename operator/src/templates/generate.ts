// Every OpenShift template of the contract (README decisions, "templates"): file name → YAML text.
// Pure: the same input gives byte-identical files, which is what the staleness test relies on.
import { AMP_VARIANTS, ampTemplateDefinition } from './amp/variants.js';
import { apicastTemplateDefinition } from './apicast/apicast-template.js';
import { buildTemplateDefinition } from './build/build-template.js';
import { type TemplateDefinition, serialiseTemplate, toTemplate } from './document.js';

export const TEMPLATE_FILES = ['amp.yml', 'amp-eval.yml', 'amp-ha.yml', 'amp-s3.yml', 'amp-postgresql.yml', 'amp-eval-s3.yml', 'apicast.yml', 'build.yml'] as const;

export function templateDefinitions(): TemplateDefinition[] {
  return [...AMP_VARIANTS.map(ampTemplateDefinition), apicastTemplateDefinition(), buildTemplateDefinition()];
}

export function generateTemplates(): Map<string, string> {
  const files = new Map<string, string>();
  for (const definition of templateDefinitions()) files.set(definition.file, serialiseTemplate(toTemplate(definition)));
  return files;
}
