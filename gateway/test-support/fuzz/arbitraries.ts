/**
 * fast-check generators of bad input, shared by the property tests and the
 * `make reliability` runner (bench/reliability): mapping-rule patterns with
 * regex syntax, crafted paths, Liquid templates, request targets and header
 * lists, configuration JSON mutated from a valid one.
 */
import fc from 'fast-check';

/** Pieces of mapping-rule patterns, regex metacharacters and known-pathological shapes included. */
const PATTERN_PIECES = [
  '/',
  'a',
  'b',
  '1',
  '.',
  '-',
  '{id}',
  '{x}',
  '(',
  ')',
  '+',
  '*',
  '?',
  '|',
  '[a-z]',
  '[^/]',
  '\\w',
  '\\d',
  '$',
  '\\1',
  '(?=a)',
  '(?!b)',
  '(?<=a)',
  '{2,3}',
  '{1000}',
  '^',
  '\\',
  '(a+)+',
  '(a|a)*',
  '(a|aa)+',
  '(\\w|\\d)+',
  '.*.*',
  '%',
  '~',
];

export const patternArb = fc
  .array(fc.oneof(fc.constantFrom(...PATTERN_PIECES), fc.string({ maxLength: 3 })), { maxLength: 12 })
  .map((parts) => `/${parts.join('')}`);

/** Paths as matched (escaped), including long runs built to trigger backtracking, up to the 8 KiB request line. */
export const pathArb = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => `/${s}`),
  fc
    .tuple(fc.constantFrom('a', '1', 'ab', 'a/', 'a.', '%41'), fc.integer({ min: 100, max: 8000 }), fc.constantFrom('!', 'b', '', '/'))
    .map(([unit, length, end]) => `/${unit.repeat(Math.ceil(length / unit.length))}${end}`),
);

const LIQUID_PIECES = [
  '{{',
  '}}',
  '{%',
  '%}',
  ' ',
  'if',
  'endif',
  'for',
  'endfor',
  'in',
  'assign',
  'capture',
  'endcapture',
  'unless',
  'x',
  'uri',
  'headers',
  'headers.host',
  "headers['X']",
  'service.id',
  'jwt.sub',
  '|',
  'upcase',
  'default:',
  'split:',
  'json',
  'size',
  '"',
  "'",
  '.',
  '[',
  ']',
  '=',
  '==',
  '-',
  '0',
  '1',
  'nil',
  'true',
  'raw',
  'endraw',
  'comment',
  'endcomment',
  'include',
  'render',
  'cycle',
  'tablerow',
  'increment',
  '(',
  ')',
  ',',
  ':',
  '\\',
  '\u0000',
  '\r\n',
];

export const liquidArb = fc
  .array(fc.oneof(fc.constantFrom(...LIQUID_PIECES), fc.string({ maxLength: 4 })), { maxLength: 20 })
  .map((p) => p.join(''));

/** Raw request targets and query strings: percent signs, bad escapes, dot segments, control bytes, non-ASCII. */
export const targetArb = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '/',
        '?',
        '&',
        '=',
        '%',
        '%2',
        '%zz',
        '%00',
        '%2e',
        '%2E%2e',
        '..',
        '.',
        '//',
        '+',
        '#',
        ';',
        '[',
        ']',
        '%C3%A9',
        '%ff',
        'é',
        '\u0000',
        ' ',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 20 },
  )
  .map((p) => `/${p.join('')}`);

/** Raw header pairs as a parser hands them over (names and values arbitrary strings, repeats, odd cases). */
export const rawHeadersArb = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('Host', 'host', 'HOST', 'user_key', 'User-Key', 'Content-Length', 'X-A', 'x-a', 'set-cookie', ''),
        fc.string({ maxLength: 8 }),
      ),
      fc.string({ maxLength: 16 }),
    ),
    { maxLength: 20 },
  )
  .map((pairs) => pairs.flat());

/** A valid one-service configuration; the mutations below start from it. */
export function validConfiguration(): Record<string, unknown> {
  return {
    services: [
      {
        id: 1,
        backend_version: '1',
        backend_authentication_type: 'service_token',
        backend_authentication_value: 't',
        proxy: {
          hosts: ['a.test'],
          api_backend: 'http://127.0.0.1:1',
          backend: { endpoint: 'http://127.0.0.1:2', host: 'b' },
          credentials_location: 'query',
          auth_user_key: 'user_key',
          proxy_rules: [{ http_method: 'GET', pattern: '/{id}.json', metric_system_name: 'hits', delta: 1 }],
          policy_chain: [
            { name: 'headers', configuration: { request: [{ op: 'set', header: 'X', value: '{{ uri }}', value_type: 'liquid' }] } },
            { name: 'apicast' },
          ],
        },
      },
    ],
  };
}

/** Paths into validConfiguration() whose values the mutations replace. */
export const CONFIG_PATHS: readonly (readonly (string | number)[])[] = [
  [],
  ['services'],
  ['services', 0],
  ['services', 0, 'id'],
  ['services', 0, 'backend_version'],
  ['services', 0, 'proxy'],
  ['services', 0, 'proxy', 'hosts'],
  ['services', 0, 'proxy', 'hosts', 0],
  ['services', 0, 'proxy', 'api_backend'],
  ['services', 0, 'proxy', 'backend'],
  ['services', 0, 'proxy', 'backend', 'endpoint'],
  ['services', 0, 'proxy', 'credentials_location'],
  ['services', 0, 'proxy', 'proxy_rules'],
  ['services', 0, 'proxy', 'proxy_rules', 0],
  ['services', 0, 'proxy', 'proxy_rules', 0, 'pattern'],
  ['services', 0, 'proxy', 'proxy_rules', 0, 'http_method'],
  ['services', 0, 'proxy', 'proxy_rules', 0, 'delta'],
  ['services', 0, 'proxy', 'policy_chain'],
  ['services', 0, 'proxy', 'policy_chain', 0],
  ['services', 0, 'proxy', 'policy_chain', 0, 'name'],
  ['services', 0, 'proxy', 'policy_chain', 0, 'configuration'],
  ['services', 0, 'proxy', 'policy_chain', 0, 'configuration', 'request', 0, 'value'],
  ['services', 0, 'proxy', 'policy_chain', 1, 'version'],
];

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (root !== null && typeof root === 'object' ? root : {}) as Record<string | number, unknown>;
  container[head] = setAt(container[head], rest, value);
  return container;
}

/** Valid configuration with 1–3 values replaced by arbitrary JSON (or pathological patterns / templates). */
export const mutatedConfigurationArb = fc
  .array(
    fc.tuple(
      fc.constantFrom(...CONFIG_PATHS),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        patternArb,
        liquidArb,
        fc.constantFrom(null, '', -1, 1e308, 'ANY', 'builtin', 'apicast', 'nonexistent_policy'),
      ),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((mutations) => {
    let config: unknown = validConfiguration();
    for (const [path, value] of mutations) config = setAt(config, path, value);
    return config;
  });
