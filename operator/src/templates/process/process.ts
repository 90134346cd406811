// `oc process` for our generated templates: resolve every parameter (user value, else generated from its
// `from` expression when it has `generate: expression` and no value, else its `value`), reject missing
// required parameters and unknown user parameters, then substitute into every string of every object
// (map keys included) and into `message`:
//   * `${NAME}` anywhere in a string → the value as text;
//   * a string that is exactly `${{NAME}}` → the value decoded as JSON (`false` → boolean, `null` → null,
//     `3` → number); a value that is not JSON stays a string, as in OpenShift;
//   * `${{NAME}}` inside a longer string → the value as text;
//   * references to names that are not parameters are left untouched.
// Template `labels` are merged into each object's `metadata.labels` (our templates declare none).
import type { Template, TemplateObject, TemplateParameter } from '../../openshift/index.js';
import { ExpressionError, generateFromExpression } from './expression.js';

export interface ProcessProblem { parameter: string; reason: string }

export class TemplateProcessError extends Error {
  constructor(readonly problems: ProcessProblem[]) {
    super(problems.map((p) => `parameter ${p.parameter}: ${p.reason}`).join('; '));
  }
}

export interface ProcessedTemplate {
  objects: TemplateObject[];
  message: string | undefined;
  /** The value each parameter ended with (generated ones included), in template order. */
  values: ReadonlyMap<string, string>;
}

export function resolveParameters(
  parameters: readonly TemplateParameter[],
  supplied: Readonly<Partial<Record<string, string>>>,
): ReadonlyMap<string, string> {
  const problems: ProcessProblem[] = [];
  const known = new Set(parameters.map((p) => p.name));
  for (const name of Object.keys(supplied)) {
    if (!known.has(name)) problems.push({ parameter: name, reason: 'unknown parameter (not declared by the template)' });
  }
  const values = new Map<string, string>();
  for (const parameter of parameters) {
    let value = supplied[parameter.name] ?? parameter.value ?? '';
    if (supplied[parameter.name] === undefined && value === '' && parameter.generate === 'expression') {
      if (parameter.from === undefined) {
        problems.push({ parameter: parameter.name, reason: 'generate: expression without "from"' });
      } else {
        try {
          value = generateFromExpression(parameter.from);
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          problems.push({ parameter: parameter.name, reason: error.message });
        }
      }
    }
    if (parameter.required === true && value === '') {
      problems.push({ parameter: parameter.name, reason: 'is required and must be specified' });
    }
    values.set(parameter.name, value);
  }
  if (problems.length > 0) throw new TemplateProcessError(problems);
  return values;
}

const WHOLE_NON_STRING = /^\$\{\{([a-zA-Z0-9_]+)\}\}$/;
const REFERENCE = /\$\{\{([a-zA-Z0-9_]+)\}\}|\$\{([a-zA-Z0-9_]+)\}/g;

function substituteText(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(REFERENCE, (match, typed: string | undefined, plain: string | undefined) => {
    const value = values.get(typed ?? plain ?? '');
    return value === undefined ? match : value;
  });
}

function decodeNonString(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function substitute(node: unknown, values: ReadonlyMap<string, string>): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE_NON_STRING.exec(node);
    if (whole) {
      const value = values.get(whole[1]);
      return value === undefined ? node : decodeNonString(value);
    }
    return substituteText(node, values);
  }
  if (Array.isArray(node)) return node.map((item) => substitute(item, values));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[substituteText(key, values)] = substitute(child, values);
    return out;
  }
  return node;
}

function withLabels(object: TemplateObject, labels: Readonly<Record<string, string>> | undefined): TemplateObject {
  if (!labels || Object.keys(labels).length === 0) return object;
  const metadata = object.metadata ?? {};
  return { ...object, metadata: { ...metadata, labels: { ...(metadata.labels ?? {}), ...labels } } };
}

export function processTemplate(template: Template, supplied: Readonly<Partial<Record<string, string>>> = {}): ProcessedTemplate {
  const values = resolveParameters(template.parameters ?? [], supplied);
  const labels = template.labels === undefined ? undefined : (substitute(template.labels, values) as Record<string, string>);
  const objects = template.objects.map((object) => withLabels(substitute(object, values) as TemplateObject, labels));
  const message = template.message === undefined ? undefined : substituteText(template.message, values);
  return { objects, message, values };
}
