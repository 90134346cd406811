/**
 * A character trie over the literal prefixes of mapping-rule patterns, so a
 * request only runs the regexes of rules whose literal prefix is a prefix of
 * its path (cost grows with the path length and the matching rules, not with
 * the number of rules). Rules keep their configuration order.
 */
import type { CompiledMappingRule } from './rule.js';

interface Node {
  children: Map<string, Node> | undefined;
  /** Positions (configuration order) of rules whose literal prefix ends here. */
  rules: number[];
}

const REGEX_SYNTAX = new Set(['\\', '^', '$', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/** The characters every matching path must start with: up to the first placeholder or regex operator. */
export function literalPrefix(pattern: string): string {
  let path = pattern.replace(/\/{2,}/g, '/');
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  let prefix = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (REGEX_SYNTAX.has(c)) {
      // A quantifier applies to the previous character, which is then not required.
      // ('{' is a placeholder here: they are replaced by a capture group, never a quantifier.)
      if (c === '?' || c === '*') prefix = prefix.slice(0, -1);
      break;
    }
    prefix += c;
  }
  return prefix;
}

export class RuleIndex {
  private readonly root: Node = { children: undefined, rules: [] };

  constructor(private readonly rules: readonly CompiledMappingRule[]) {
    rules.forEach((rule, position) => {
      let node = this.root;
      for (const c of literalPrefix(rule.pattern)) {
        node.children ??= new Map();
        let next = node.children.get(c);
        if (!next) {
          next = { children: undefined, rules: [] };
          node.children.set(c, next);
        }
        node = next;
      }
      node.rules.push(position);
    });
  }

  /** Rules that may match `escapedPath`, in configuration order. */
  candidates(escapedPath: string): CompiledMappingRule[] {
    const positions: number[] = [...this.root.rules];
    let node: Node | undefined = this.root;
    for (let i = 0; i < escapedPath.length && node; i++) {
      node = node.children?.get(escapedPath[i]);
      if (node && node.rules.length > 0) for (const p of node.rules) positions.push(p);
    }
    positions.sort((a, b) => a - b);
    return positions.map((p) => this.rules[p]);
  }
}

const indexes = new WeakMap<readonly CompiledMappingRule[], RuleIndex>();

/** The index of a compiled rule list, built on first use and kept with the list. */
export function indexFor(rules: readonly CompiledMappingRule[]): RuleIndex {
  let index = indexes.get(rules);
  if (!index) {
    index = new RuleIndex(rules);
    indexes.set(rules, index);
  }
  return index;
}
