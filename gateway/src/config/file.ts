/**
 * Configuration read from a file or a data: URL (gateway.md §1.2, §2.4):
 * THREESCALE_CONFIG_FILE, or APICAST_CONFIGURATION as `file:<path>`,
 * `data:application/json[;base64],…`, `data:application/yaml,…`, or a bare
 * string tried as a data URL then as a path. Only at boot and on reload.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Settings } from '../settings.js';
import { ConfigurationError } from './errors.js';

export interface ConfigurationSourceText {
  /** Where it came from, for logs and errors (never the content). */
  origin: string;
  /** The decoded document (JSON or YAML already parsed), null when empty. */
  document: unknown;
}

async function parseDocument(text: string, yaml: boolean, origin: string): Promise<unknown> {
  if (text.trim() === '' || text.trim() === 'null') return null;
  // The YAML parser loads only for YAML documents: JSON, the common case, boots without it.
  const parseYaml = yaml ? (await import('yaml')).parse : undefined;
  try {
    return parseYaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(origin, `invalid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
}

async function fromDataUrl(uri: string, origin: string): Promise<unknown> {
  const match = /^data:([^,;]*)((?:;[^,;]*)*),(.*)$/s.exec(uri);
  if (!match) throw new ConfigurationError(origin, 'malformed data: URL');
  const mediaType = match[1] || 'application/json';
  const base64 = match[2].split(';').includes('base64');
  const text = base64 ? Buffer.from(match[3], 'base64').toString('utf8') : decodeURIComponent(match[3]);
  return parseDocument(text, /yaml/.test(mediaType), origin);
}

async function fromFile(path: string, origin: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(path), 'utf8');
  } catch (error) {
    throw new ConfigurationError(origin, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseDocument(text, /\.ya?ml$/i.test(path), origin);
}

/** The configured local source, or undefined when the configuration comes from the portal. */
export function hasLocalSource(settings: Settings): boolean {
  if (settings.configFile) return true;
  const uri = settings.configurationUri;
  return uri !== undefined && !/^https?:/i.test(uri);
}

/** Reads the local source (file or data URL). Throws ConfigurationError naming the variable. */
export async function readLocalConfiguration(settings: Settings): Promise<ConfigurationSourceText> {
  if (settings.configFile) {
    const origin = `THREESCALE_CONFIG_FILE=${settings.configFile}`;
    return { origin, document: await fromFile(settings.configFile, 'THREESCALE_CONFIG_FILE') };
  }
  const uri = settings.configurationUri;
  if (uri === undefined) throw new ConfigurationError('THREESCALE_CONFIG_FILE', 'no configuration source is set');
  if (uri.startsWith('file:')) {
    const path = uri.startsWith('file://') ? new URL(uri).pathname : uri.slice('file:'.length);
    return { origin: `APICAST_CONFIGURATION=${uri}`, document: await fromFile(path, 'APICAST_CONFIGURATION') };
  }
  if (uri.startsWith('data:'))
    return { origin: 'APICAST_CONFIGURATION (data URL)', document: await fromDataUrl(uri, 'APICAST_CONFIGURATION') };
  return { origin: `APICAST_CONFIGURATION=${uri}`, document: await fromFile(uri, 'APICAST_CONFIGURATION') };
}
