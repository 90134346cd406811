/**
 * Template strings (policies.md §4.1): a configuration value with a `*_type`
 * companion is `plain` (verbatim, the default) or `liquid` (rendered per
 * request). Compiled once at configuration load.
 */
import { compileLiquid, type InvalidLiquidReporter } from './engine.js';
import { displayString } from '../display-string.js';

export type ValueType = 'plain' | 'liquid';

export interface TemplateValue {
  /** The configured text. */
  readonly source: string;
  readonly type: ValueType;
  /** True when rendering never depends on the scope (plain values). */
  readonly constant: boolean;
  render(scope: object): string;
}

/**
 * Compiles a value. `type` other than `liquid` (absent, null, `plain`) means
 * plain, as the original's default. Non-string values are stringified.
 */
export function compileTemplateValue(value: unknown, type: unknown, onInvalid?: InvalidLiquidReporter): TemplateValue {
  const source = value === undefined || value === null ? '' : displayString(value);
  if (type === 'liquid') {
    const template = compileLiquid(source, onInvalid);
    return { source, type: 'liquid', constant: false, render: (scope) => template.render(scope) };
  }
  return { source, type: 'plain', constant: true, render: () => source };
}
