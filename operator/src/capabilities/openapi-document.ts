// Reading an OpenAPI document (JSON or YAML) from a Secret, a ConfigMap or a URL, and checking that it is one.
// Shared by ActiveDoc and OpenAPI. The checks are the ones that make a document usable here: a version field,
// info.title, and a paths object; full OpenAPI validation is 3scale's (ActiveDoc) or beyond our use (OpenAPI).
import { request } from 'undici';
import { parse } from 'yaml';

export type Document = Record<string, unknown>;
export type Loaded = { ok: true; document: Document; text: string } | { ok: false; reason: string };

const MAX_BYTES = 5 * 1024 * 1024;

export function parseDocument(text: string, source: string): Loaded {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    return { ok: false, reason: `${source} is neither JSON nor YAML (${(error as Error).message.split('\n')[0]})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `${source} is not an object` };
  const doc = value as Document;
  const declared = doc.openapi ?? doc.swagger;
  // As String() reads it: a list as its joined elements; any other object can match no version.
  const version =
    typeof declared === 'string' || typeof declared === 'number' ? String(declared) : Array.isArray(declared) ? declared.join(',') : '';
  if (!/^(3\.\d+(\.\d+)?|2\.0)$/.test(version)) return { ok: false, reason: `${source} has no openapi (3.x) or swagger (2.0) version` };
  if (typeof (doc.info as { title?: unknown } | undefined)?.title !== 'string') return { ok: false, reason: `${source} has no info.title` };
  if (typeof doc.paths !== 'object' || doc.paths === null) return { ok: false, reason: `${source} has no paths object` };
  return { ok: true, document: doc, text };
}

/** The only key of a Secret's or ConfigMap's data. */
export function onlyValue(
  data: Readonly<Partial<Record<string, string>>> | undefined,
  what: string,
): { ok: true; text: string } | { ok: false; reason: string } {
  if (!data) return { ok: false, reason: `${what} does not exist` };
  const values = Object.values(data).filter((v) => v !== undefined);
  if (values.length !== 1) return { ok: false, reason: `${what} must hold exactly one key (it has ${values.length})` };
  return { ok: true, text: values[0] };
}

export async function fetchDocument(url: string): Promise<Loaded> {
  try {
    const response = await request(url, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 10_000 });
    const text = await response.body.text();
    if (response.statusCode !== 200) return { ok: false, reason: `${url} answered ${response.statusCode}` };
    if (text.length > MAX_BYTES) return { ok: false, reason: `${url} is larger than 5 MiB` };
    return parseDocument(text, url);
  } catch (error) {
    return { ok: false, reason: `${url} could not be read (${(error as Error).message})` };
  }
}
