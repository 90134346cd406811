/**
 * Request bodies as porta reads them: `application/x-www-form-urlencoded`
 * (what 3scale's own clients send, with Rails' nested `a[b]=c` and `a[]=x`
 * keys) or `application/json`. Both end as one plain object of fields.
 */
export type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `a[b][]` → ['a', 'b', '']; a key without brackets is one segment. */
function keySegments(key: string): string[] {
  const first = key.indexOf('[');
  if (first < 0 || !key.endsWith(']')) return [key];
  return [key.slice(0, first), ...key.slice(first + 1, -1).split('][')];
}

function assign(target: Fields, segments: string[], value: string): void {
  let node: Fields = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i];
    const nextIsArray = segments[i + 1] === '';
    if (nextIsArray) {
      const list = Array.isArray(node[segment]) ? (node[segment] as unknown[]) : [];
      node[segment] = list;
      if (i + 2 === segments.length) {
        list.push(value);
        return;
      }
      // `a[][b]`: arrays of objects are beyond what these endpoints need.
      return;
    }
    const child = isObject(node[segment]) ? node[segment] : {};
    node[segment] = child;
    node = child;
  }
  node[segments[segments.length - 1]] = value;
}

export function parseForm(text: string): Fields {
  const fields: Fields = {};
  for (const [key, value] of new URLSearchParams(text)) assign(fields, keySegments(key), value);
  return fields;
}

export type ParsedBody = { ok: true; fields: Fields } | { ok: false; error: string };

/** JSON when the content type says so (or the text looks like an object), form otherwise. */
export function parseBody(contentType: string | undefined, text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, fields: {} };
  const json = (contentType ?? '').includes('json') || (!contentType && text.trimStart().startsWith('{'));
  if (!json) return { ok: true, fields: parseForm(text) };
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? { ok: true, fields: value } : { ok: false, error: 'the JSON body is not an object' };
  } catch (error) {
    return { ok: false, error: `invalid JSON body: ${(error as Error).message}` };
  }
}

/**
 * porta's `wrap_parameters`: fields may come flat (`name=…`) or inside the
 * resource's key (`backend_api[name]=…`, `{"backend_api":{…}}`); both are
 * merged, a wrapped field winning over a flat one of the same name.
 */
export function unwrap(fields: Fields, wrapper: string | undefined): Fields {
  if (wrapper === undefined || !isObject(fields[wrapper])) return fields;
  const { [wrapper]: inner, ...flat } = fields;
  return { ...flat, ...(inner as Fields) };
}
