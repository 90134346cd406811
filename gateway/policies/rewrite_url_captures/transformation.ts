/**
 * rewrite_url_captures transformations (policies.md §5.26), compiled once:
 * `{name}` placeholders become the mapping-rule segment class; the rule is
 * unanchored and `.` is not escaped (unlike mapping rules, as the original).
 */
import { QueryArgs } from '../url_rewriting/query-args.js';
import type { RewriteUrlCapturesTransformation } from './config.generated.js';

/** One entry of the manifest's `transformations`. */
export type TransformationJson = RewriteUrlCapturesTransformation;

export interface Transformation {
  readonly regex: RegExp;
  readonly placeholders: readonly string[];
  readonly templatePath: string;
  /** Template query arguments in order; values may hold placeholders. */
  readonly templateArgs: readonly [string, string][];
  readonly methods: ReadonlySet<string> | undefined;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;
const SEGMENT_CLASS = "([\\w\\-.~%!$&'()*+,;=@:]+)";

export class TransformationError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export function compileTransformation(json: TransformationJson, index: number): Transformation {
  const matchRule = json.match_rule ?? '';
  const placeholders = [...matchRule.matchAll(PLACEHOLDER)].map((m) => m[1]);
  let regex: RegExp;
  try {
    regex = new RegExp(matchRule.replace(PLACEHOLDER, SEGMENT_CLASS));
  } catch (error) {
    throw new TransformationError(`transformations[${index}].match_rule`, `invalid regular expression: ${(error as Error).message}`);
  }
  const template = json.template ?? '';
  const q = template.indexOf('?');
  const templatePath = q < 0 ? template : template.slice(0, q);
  const templateArgs: [string, string][] = [];
  // Ours splits every `&` (the original stops after the first one; the spec allows a full split).
  if (q >= 0) {
    for (const part of template.slice(q + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      templateArgs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
    }
  }
  return {
    regex,
    placeholders,
    templatePath,
    templateArgs,
    methods: json.methods && json.methods.length > 0 ? new Set(json.methods) : undefined,
  };
}

function substitute(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
}

export interface RewriteResult {
  path: string;
  query: string | undefined;
}

/**
 * Applies the first transformation that matches; undefined when none does.
 * `query` is the re-serialized query (undefined when the template has none,
 * so the client's string is kept byte-for-byte).
 */
export function applyTransformations(
  transformations: readonly Transformation[],
  path: string,
  method: string,
  rawQuery: string,
): RewriteResult | undefined {
  for (const t of transformations) {
    if (t.methods && !t.methods.has(method)) continue;
    const match = t.regex.exec(path);
    // The number of captures must equal the number of placeholders, else no match.
    if (!match || match.length - 1 !== t.placeholders.length) continue;
    const values = new Map<string, string>();
    t.placeholders.forEach((name, i) => values.set(name, match[i + 1] ?? ''));
    const newPath = substitute(t.templatePath, values);
    if (t.templateArgs.length === 0) return { path: newPath, query: undefined };
    const args = QueryArgs.parse(rawQuery);
    for (const [name, value] of t.templateArgs) args.apply('set', substitute(name, values), substitute(value, values));
    return { path: newPath, query: args.serialize() };
  }
  return undefined;
}
