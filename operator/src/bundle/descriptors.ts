// Spec descriptors for every top-level spec field of a CRD schema, so the console shows each field with a label
// and help text, and the scorecard's olm-spec-descriptors check holds for every example. Hand-written descriptors
// (deeper paths, better widgets) come first and are kept; a generated one is only added for a top-level field
// that has none. Pure.
import type { JsonSchema } from '../api/schema-parts.js';

export interface Descriptor {
  path: string;
  displayName: string;
  description: string;
  'x-descriptors'?: string[];
}

/** "privateBaseURL" → "Private Base URL", "hpa" → "Hpa". */
/** A schema's description when it has one (a string), else the fallback. */
const descriptionOf = (schema: JsonSchema, fallback: string): string =>
  typeof schema.description === 'string' ? schema.description : fallback;

export function displayNameOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

function widgetFor(key: string, schema: JsonSchema): string[] {
  if (schema.type === 'boolean') return ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'];
  if (schema.type === 'integer') return ['urn:alm:descriptor:com.tectonic.ui:number'];
  if (schema.type === 'string') return ['urn:alm:descriptor:com.tectonic.ui:text'];
  const description = descriptionOf(schema, '');
  if (schema.type === 'object' && /Ref$/.test(key) && /\bSecret\b/.test(description)) return ['urn:alm:descriptor:io.kubernetes:Secret'];
  return ['urn:alm:descriptor:com.tectonic.ui:advanced'];
}

export function withTopLevelDescriptors(spec: JsonSchema, written: Descriptor[]): Descriptor[] {
  const have = new Set(written.map((d) => d.path));
  const properties = (spec.properties ?? {}) as Record<string, JsonSchema>;
  const generated = Object.entries(properties)
    .filter(([key]) => !have.has(key))
    .map(([key, schema]) => ({
      path: key,
      displayName: displayNameOf(key),
      description: descriptionOf(schema, displayNameOf(key))
        .split(/(?<=\.)\s/)[0]
        .slice(0, 200),
      'x-descriptors': widgetFor(key, schema),
    }));
  return [...written, ...generated];
}

/** Scheduling, proxy and gateway settings of the 2.10–2.16 component specs, shown per component. */
const COMPONENT_FIELDS = [
  'priorityClassName',
  'topologySpreadConstraints',
  'affinity',
  'tolerations',
  'labels',
  'annotations',
  'allProxy',
  'httpProxy',
  'httpsProxy',
  'noProxy',
  'customEnvironments',
  'serviceCacheSize',
  'workers',
  'logLevel',
  'httpsPort',
  'httpsVerifyDepth',
  'httpsVerifyClient',
  'proxyBufferSize',
  'largeClientHeaderBuffers',
  'socketKeepaliveRequests',
  'accessLogBuffer',
  'batcherSharedMemorySize',
] as const;

/**
 * Descriptors for COMPONENT_FIELDS under every component spec (`spec.<group>.<component>` objects that take
 * a priorityClassName), labelled "<Group> <Component> <Field>"; existing paths are kept as written. Pure.
 */
export function withComponentDescriptors(spec: JsonSchema, written: Descriptor[]): Descriptor[] {
  const have = new Set(written.map((d) => d.path));
  const generated: Descriptor[] = [];
  for (const [group, groupSchema] of Object.entries((spec.properties ?? {}) as Record<string, JsonSchema>)) {
    for (const [component, componentSchema] of Object.entries((groupSchema.properties ?? {}) as Record<string, JsonSchema>)) {
      const fields = (componentSchema.properties ?? {}) as Partial<Record<string, JsonSchema>>;
      if (!('priorityClassName' in fields)) continue;
      const label = `${displayNameOf(group)} ${displayNameOf(component.replace(/Spec$/, ''))}`;
      for (const field of COMPONENT_FIELDS) {
        const path = `${group}.${component}.${field}`;
        const schema = fields[field];
        if (!schema || have.has(path)) continue;
        generated.push({
          path,
          displayName: `${label} ${displayNameOf(field)}`,
          description: descriptionOf(schema, displayNameOf(field))
            .split(/(?<=\.)\s/)[0]
            .slice(0, 200),
          'x-descriptors': [...widgetFor(field, schema), 'urn:alm:descriptor:com.tectonic.ui:advanced'].filter(
            (x, i, all) => all.indexOf(x) === i,
          ),
        });
      }
    }
  }
  return [...written, ...generated];
}
