// Where default values of missing secret keys come from: the operator generates them, a template refers to
// its parameters. Builders never know which one is in use.
import { ALPHANUMERIC, randomString } from './random.js';

export type ValueSpec =
  /** A fixed default; `param` is the template parameter that carries it. */
  | { kind: 'literal'; value: string; param?: string }
  /** A random default; templates generate it with `templateFrom` (`generate: expression`). */
  | { kind: 'random'; length: number; param: string; templateFrom: string };

export interface ValueSource {
  value(spec: ValueSpec): string;
}

export const operatorValueSource: ValueSource = {
  value(spec) {
    return spec.kind === 'literal' ? spec.value : randomString(spec.length, ALPHANUMERIC);
  },
};

export const templateValueSource: ValueSource = {
  value(spec) {
    if (spec.param !== undefined) return `\${${spec.param}}`;
    return spec.kind === 'literal' ? spec.value : '';
  },
};
