/**
 * Liquid for policies (policies.md §4.1, §4.3): one liquidjs engine restricted
 * to liquid-lua's subset. Templates are parsed once when a configuration is
 * loaded (invalid Liquid is reported once and renders as ''), and rendered
 * synchronously per request (a runtime error throws {@link LiquidRenderError},
 * which the chain turns into a 500).
 */
import { Liquid } from 'liquidjs';
import type { Template, TagToken, TopLevelToken } from 'liquidjs';
import { BinaryString, installFilters } from './filters.js';
import { HeadersDrop } from './scope.js';
import { displayString } from '../display-string.js';

export class LiquidRenderError extends Error {
  constructor(
    readonly template: string,
    cause: unknown,
  ) {
    super(`Liquid rendering failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'LiquidRenderError';
  }
}

/** A tag that parses (swallowing its block) but fails when rendered: liquid-lua's iteration limit is 0. */
function failingTag(name: string, hasBlock: boolean) {
  return {
    parse(this: unknown, _token: TagToken, remaining: TopLevelToken[]): void {
      if (!hasBlock) return;
      let depth = 0;
      while (remaining.length > 0) {
        const token = remaining.shift() as TopLevelToken & { name?: string };
        if (token.name === name) depth++;
        if (token.name === `end${name}`) {
          if (depth === 0) return;
          depth--;
        }
      }
      throw new Error(`tag ${name} not closed`);
    },
    render(): never {
      throw new Error(`${name}: loops are disabled (iteration limit 0)`);
    },
  };
}

/** A tag that does not exist in the subset: using it is invalid Liquid. */
function unavailableTag(name: string) {
  return {
    parse(): never {
      throw new Error(`tag ${name} is not available`);
    },
    render(): never {
      throw new Error(`tag ${name} is not available`);
    },
  };
}

/** liquid-lua refuses to print a table; printing needs `| json`. */
function refuseTables(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && !(value instanceof BinaryString)) {
    if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || value instanceof HeadersDrop) {
      throw new Error('cannot output a table value (use | json)');
    }
  }
  return displayString(value);
}

function createEngine(): Liquid {
  const engine = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
    outputEscape: refuseTables,
    // Bound the CPU one template may take on the request path.
    renderLimit: 1000,
  });
  installFilters(engine);
  engine.registerTag('for', failingTag('for', true));
  engine.registerTag('tablerow', failingTag('tablerow', true));
  engine.registerTag('cycle', failingTag('cycle', false));
  for (const name of ['include', 'render', 'layout', 'block']) engine.registerTag(name, unavailableTag(name));
  return engine;
}

const engine = createEngine();

/** A template ready to render; `valid` is false for invalid Liquid (renders ''). */
export interface LiquidTemplate {
  readonly source: string;
  readonly valid: boolean;
  readonly error?: string;
  /** Renders against a scope (plain object); throws LiquidRenderError on runtime errors. */
  render(scope: object): string;
}

/** Called once per invalid template at configuration load (policies.md §4.1). */
export type InvalidLiquidReporter = (message: string) => void;

/**
 * Parses `source`. Invalid Liquid is reported as `Invalid Liquid: <text> …`
 * and yields a template that renders as the empty string.
 */
export function compileLiquid(source: string, onInvalid?: InvalidLiquidReporter): LiquidTemplate {
  let parsed: Template[];
  try {
    parsed = engine.parse(source);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    onInvalid?.(`Invalid Liquid: ${source} (${error})`);
    return { source, valid: false, error, render: () => '' };
  }
  return {
    source,
    valid: true,
    render(scope: object): string {
      try {
        // Assign/capture write to a per-render scope of liquidjs, never into `scope`.
        return String(engine.renderSync(parsed, scope));
      } catch (err) {
        throw new LiquidRenderError(source, err);
      }
    },
  };
}

/** Parses and renders once (tests, debugging). */
export function renderLiquid(source: string, scope: object): string {
  return compileLiquid(source).render(scope);
}
