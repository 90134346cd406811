/**
 * url_rewriting `commands` (policies.md §5.36): sub/gsub over the decoded
 * request path, compiled once when the configuration is loaded.
 */
import { jsFlagsFor, stripExtended } from './regex-options.js';
import { parseReplaceTemplate, renderReplaceTemplate, type TemplatePart } from './replace-template.js';
import type { UrlRewritingCommand } from './config.generated.js';

/** One entry of the manifest's `commands`. */
export type PathCommandJson = UrlRewritingCommand;

export interface PathCommand {
  readonly global: boolean;
  readonly regex: RegExp;
  readonly replace: readonly TemplatePart[];
  readonly stop: boolean;
  readonly methods: ReadonlySet<string> | undefined;
}

/** Thrown with the configuration field that is wrong (e.g. `commands[1].regex`). */
export class CommandConfigError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export function methodSet(methods: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return methods && methods.length > 0 ? new Set(methods) : undefined;
}

export function compilePathCommand(json: PathCommandJson, index: number): PathCommand {
  const field = `commands[${index}]`;
  let options;
  try {
    options = jsFlagsFor(json.options ?? '');
  } catch (error) {
    throw new CommandConfigError(`${field}.options`, (error as Error).message);
  }
  const source = options.extended ? stripExtended(json.regex) : json.regex;
  const global = json.op === 'gsub';
  let regex: RegExp;
  try {
    regex = new RegExp(source, options.flags + (global ? 'g' : ''));
  } catch (error) {
    throw new CommandConfigError(`${field}.regex`, `invalid regular expression: ${(error as Error).message}`);
  }
  let replace: TemplatePart[];
  try {
    replace = parseReplaceTemplate(json.replace);
  } catch (error) {
    throw new CommandConfigError(`${field}.replace`, (error as Error).message);
  }
  return { global, regex, replace, stop: json.break === true, methods: methodSet(json.methods) };
}

/** Applies one command; returns the new path, or undefined when it did not match. */
export function applyPathCommand(command: PathCommand, path: string): string | undefined {
  if (!command.global) {
    const match = new RegExp(command.regex.source, command.regex.flags).exec(path);
    if (!match) return undefined;
    return path.slice(0, match.index) + renderReplaceTemplate(command.replace, match) + path.slice(match.index + match[0].length);
  }
  let out = '';
  let last = 0;
  let matched = false;
  for (const match of path.matchAll(command.regex)) {
    matched = true;
    out += path.slice(last, match.index) + renderReplaceTemplate(command.replace, match);
    last = match.index + match[0].length;
  }
  return matched ? out + path.slice(last) : undefined;
}

/** Runs the commands in order; `break` stops only after a command that changed the path. */
export function rewritePath(commands: readonly PathCommand[], path: string, method: string): string {
  let current = path;
  for (const command of commands) {
    if (command.methods && !command.methods.has(method)) continue;
    const next = applyPathCommand(command, current);
    // A substitution counts as a change even if it wrote the same text (as ngx.re.sub's count).
    if (next === undefined) continue;
    current = next;
    if (command.stop) break;
  }
  return current;
}
