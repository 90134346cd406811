/**
 * Keeps docs/gateway-env.md in step with the code: every environment variable
 * the settings code reads must have a row in one of the doc's tables, with the
 * default the code uses, and variables the code ignores or deprecates must say
 * so. settings.ts exports no list of names, so the names are scanned from the
 * TypeScript sources (quoted UPPER_CASE literals: the names handed to the
 * env readers, the ignored-variables list, the proxy variables).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// This file runs from dist/gateway/src/settings/; the sources and docs sit at the repository root.
const repoRoot = new URL('../../../../', import.meta.url);
const read = (path: string): string => readFileSync(fileURLToPath(new URL(path, repoRoot)), 'utf8');

const SOURCES = {
  gateway: ['gateway/src/settings.ts', 'gateway/src/settings/since-3-11.ts', 'gateway/src/shared/redis/url.ts'],
  'mapping-service': ['gateway/src/cloud-hosted/mapping-service/settings.ts'],
};
const DOC = 'docs/gateway-env.md';

/** Source text without comments, so that names in prose do not count as "read". */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
}

const NAME = String.raw`[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*`;

/** Every single-quoted UPPER_CASE literal: the variable names the code reads. */
function variableNames(source: string): Set<string> {
  return new Set([...code(source).matchAll(new RegExp(`'(${NAME})'`, 'g'))].map((m) => m[1]));
}

/** Names read through a pattern such as /^APICAST_SERVICE_(.+)_CONFIGURATION_VERSION$/, as [prefix, suffix]. */
function variablePatterns(source: string): [string, string][] {
  return [...code(source).matchAll(/\/\^([A-Z][A-Z0-9_]*_)\(\.\+\)(_[A-Z0-9_]*)\$\//g)].map((m) => [m[1], m[2]]);
}

/** Defaults written as literals next to the read: `readX(env, 'NAME', 8080)`, `readString(env, 'NAME') ?? 'x'`, … */
function literalDefaults(source: string): Map<string, string> {
  const text = code(source);
  const defaults = new Map<string, string>();
  const rules: RegExp[] = [
    new RegExp(String.raw`read(?:Port|Integer|Duration)\(env, '(${NAME})', (-?\d+)\)`, 'g'),
    new RegExp(String.raw`readString\(env, '(${NAME})'\) \?\? '([^']+)'`, 'g'),
    new RegExp(String.raw`readUrl\(env, '(${NAME})'\) \?\? new URL\('([^']+)'\)`, 'g'),
    new RegExp(String.raw`readEnum(?:<\w+>)?\(env, '(${NAME})', \w+, '([^']+)'\)`, 'g'),
  ];
  for (const rule of rules) for (const m of text.matchAll(rule)) defaults.set(m[1], m[2]);
  for (const m of text.matchAll(new RegExp(String.raw`readBoolean\(env, '(${NAME})'(?:, (true|false))?\)`, 'g'))) {
    defaults.set(m[1], m.at(2) ?? 'false'); // the group is optional
  }
  return defaults;
}

/** Names the code declares ignored (its IGNORED_VARIABLES list, "X is ignored" notices) or deprecated. */
function flaggedNames(source: string): { ignored: Set<string>; deprecated: Set<string> } {
  const text = code(source);
  const ignored = new Set<string>();
  const list = /IGNORED_VARIABLES\s*=\s*\[([^\]]*)\]/.exec(text);
  for (const m of (list?.[1] ?? '').matchAll(new RegExp(`'(${NAME})'`, 'g'))) ignored.add(m[1]);
  for (const m of text.matchAll(new RegExp(`'(${NAME}) is ignored`, 'g'))) ignored.add(m[1]);
  const deprecated = new Set([...text.matchAll(new RegExp(`'(${NAME}) is deprecated`, 'g'))].map((m) => m[1]));
  return { ignored, deprecated };
}

interface Row {
  cells: string[];
  text: string;
}

/** The doc's table rows (header and separator rows included; they never name a variable in backticks). */
function tableRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => line.trimStart().startsWith('|'))
    .map((line) => ({
      text: line,
      cells: line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    }));
}

/** Rows whose first cell names the variable in backticks. */
function rowsFor(rows: Row[], name: string): Row[] {
  return rows.filter((row) => (row.cells[0] ?? '').includes(`\`${name}\``));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const sources = (paths: string[]): string => paths.map(read).join('\n');
const docRows = (): Row[] => tableRows(read(DOC));

describe(`${DOC} (environment reference)`, () => {
  it('scans the variables from the settings sources (guards against a scan that finds nothing)', () => {
    const gateway = variableNames(sources(SOURCES.gateway));
    const mapping = variableNames(sources(SOURCES['mapping-service']));
    assert.ok(gateway.size >= 60, `only ${gateway.size} names found in ${SOURCES.gateway.join(', ')}`);
    for (const name of ['APICAST_HTTP_PORT', 'THREESCALE_PORTAL_ENDPOINT', 'APICAST_MODULE', 'HTTPS_PROXY', 'REDIS_URL']) {
      assert.ok(gateway.has(name), `${name} not found by the scan`);
    }
    assert.ok(mapping.has('MASTER_ACCESS_TOKEN') && mapping.has('MAPPING_SERVICE_PORT'), 'mapping-service names not found by the scan');
    assert.deepEqual(variablePatterns(sources(SOURCES.gateway)), [['APICAST_SERVICE_', '_CONFIGURATION_VERSION']]);
  });

  for (const [program, paths] of Object.entries(SOURCES)) {
    it(`has a table row for every variable the ${program} reads`, () => {
      const rows = docRows();
      const missing = [...variableNames(sources(paths))].filter((name) => rowsFor(rows, name).length === 0);
      for (const [prefix, suffix] of variablePatterns(sources(paths))) {
        const pattern = new RegExp(`\`${escapeRegExp(prefix)}<[^>\`]+>${escapeRegExp(suffix)}\``);
        if (!rows.some((row) => pattern.test(row.cells[0] ?? ''))) missing.push(`${prefix}<ID>${suffix}`);
      }
      assert.deepEqual(missing, [], `variables read by ${paths.join(', ')} but missing from ${DOC}: ${missing.join(', ')}`);
    });
  }

  it('states, in the Default column, the default the code uses', () => {
    const rows = docRows();
    const wrong: string[] = [];
    for (const paths of Object.values(SOURCES)) {
      for (const [name, value] of literalDefaults(sources(paths))) {
        const token = new RegExp(`(?<![\\w.])${escapeRegExp(value)}(?![\\w.])`);
        if (!rowsFor(rows, name).some((row) => token.test(row.cells[1] ?? ''))) wrong.push(`${name} (code default: ${value})`);
      }
    }
    assert.deepEqual(wrong, [], `rows whose Default column does not show the code's default: ${wrong.join(', ')}`);
  });

  it('says "ignored" for every variable the code ignores and "deprecated" for every deprecated alias', () => {
    const rows = docRows();
    const unflagged: string[] = [];
    const { ignored, deprecated } = flaggedNames(sources(SOURCES.gateway));
    assert.ok(ignored.size >= 5, `the scan found only ${ignored.size} ignored variables`);
    for (const [names, word] of [
      [ignored, 'ignored'],
      [deprecated, 'deprecated'],
    ] as const) {
      for (const name of names) {
        if (!rowsFor(rows, name).some((row) => row.text.toLowerCase().includes(word))) unflagged.push(`${name} (${word})`);
      }
    }
    assert.deepEqual(unflagged, [], `rows that do not say so: ${unflagged.join(', ')}`);
  });
});
