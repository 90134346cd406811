/**
 * Resource matching of jwt_claim_check and keycloak_role_check (policies.md
 * §4.4): `resource` (plain or liquid) is a mapping-rule pattern (prefix
 * match, `{x}` segment placeholders, `$` anchor) matched with a method list
 * (`ANY` default) against the request path, without query checks.
 */
import { LRUCache } from 'lru-cache';
import { PolicyConfigurationError } from '../../chain/policy.js';
import { patternToRegexSource } from '../../mapping/rule.js';
import { compileTemplateValue, type InvalidLiquidReporter } from '../liquid/index.js';

export interface CompiledResource {
  matches(scope: object, method: string, path: string): boolean;
}

const rendered = new LRUCache<string, RegExp | false>({ max: 1000 });

function regexFor(pattern: string): RegExp | false {
  let re = rendered.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(patternToRegexSource(pattern));
    } catch {
      re = false;
    }
    rendered.set(pattern, re);
  }
  return re;
}

export function compileResource(
  resource: unknown,
  resourceType: unknown,
  methods: unknown,
  field: string,
  onInvalid?: InvalidLiquidReporter,
): CompiledResource {
  const list = Array.isArray(methods) && methods.length > 0 ? (methods as string[]) : ['ANY'];
  const anyMethod = list.includes('ANY');
  const methodOk = (method: string) => anyMethod || list.includes(method);
  const template = compileTemplateValue(resource, resourceType, onInvalid);
  if (template.constant) {
    let re: RegExp;
    try {
      re = new RegExp(patternToRegexSource(template.source));
    } catch (err) {
      throw new PolicyConfigurationError(`${field}.resource`, `invalid pattern: ${(err as Error).message}`);
    }
    return { matches: (_scope, method, path) => methodOk(method) && re.test(path) };
  }
  return {
    matches(scope, method, path) {
      if (!methodOk(method)) return false;
      const re = regexFor(template.render(scope));
      return re !== false && re.test(path);
    },
  };
}
