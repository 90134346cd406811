/**
 * Mapping rules of a backend (`/backend_apis/:id/mapping_rules`) or of a
 * product (`/services/:id/proxy/mapping_rules`). http_method must be an HTTP
 * verb, pattern must start with `/`, delta a positive integer, metric_id a
 * metric the owner can count on (a product may also use its backends'
 * metrics). New rules go last; `position` may be given.
 */
import { unwrap, type Fields } from '../body.js';
import { defined, flag, integer, text, checked } from '../fields.js';
import { metricsUsableBy, ownedBy, type OwnerOf } from '../owners.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, missing, type AdminContext, type Router } from '../router.js';
import type { MappingRuleRow, Owner, Tenant } from '../state.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'] as const;

export function presentRule(row: MappingRuleRow) {
  return {
    id: row.id,
    metric_id: row.metric_id,
    pattern: row.pattern,
    http_method: row.http_method,
    delta: row.delta,
    position: row.position,
    last: row.last,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function metricAllowed(tenant: Tenant, owner: Owner, metricId: number): boolean {
  const metric = tenant.metrics.get(metricId);
  if (!metric) return false;
  if (ownedBy(owner)(metric)) return true;
  return owner.owner_type === 'Service' && metricsUsableBy(tenant, owner.owner_id).some((m) => m.id === metricId);
}

const blank = (value: unknown): boolean => value === undefined || value === null || value === '';

interface RuleFields {
  http_method?: string;
  pattern?: string;
  delta?: number;
  metric_id?: number;
  last?: boolean;
  position?: number;
}

function readRule(tenant: Tenant, owner: Owner, body: Fields, creating: boolean): RuleFields {
  const errors = new FieldErrors();
  const httpMethod = text(body, 'http_method')?.toUpperCase();
  const pattern = text(body, 'pattern');
  const delta = integer(body, 'delta', errors);
  const metricId = integer(body, 'metric_id', errors);
  const fields: RuleFields = {
    http_method: httpMethod,
    pattern,
    delta,
    metric_id: metricId,
    last: flag(body, 'last', errors),
    position: integer(body, 'position', errors),
  };
  if (creating || httpMethod !== undefined) {
    if (!httpMethod) errors.add('http_method', "can't be blank");
    else if (!(HTTP_METHODS as readonly string[]).includes(httpMethod)) errors.add('http_method', 'is not included in the list');
  }
  if (creating || pattern !== undefined) {
    if (!pattern) errors.add('pattern', "can't be blank");
    else if (!pattern.startsWith('/')) errors.add('pattern', "shall start with '/'");
  }
  if (creating && blank(body.delta)) errors.add('delta', "can't be blank");
  if (delta !== undefined && delta <= 0) errors.add('delta', 'must be greater than 0');
  if (creating && blank(body.metric_id)) errors.add('metric_id', "can't be blank");
  if (metricId !== undefined && !metricAllowed(tenant, owner, metricId)) errors.add('metric_id', 'is invalid');
  errors.throwIfAny();
  return fields;
}

function createRule(context: AdminContext, owner: Owner): MappingRuleRow {
  const fields = readRule(context.tenant, owner, unwrap(context.body, 'mapping_rule'), true);
  const siblings = context.tenant.mappingRules.where(ownedBy(owner));
  const position = fields.position ?? siblings.reduce((max, r) => Math.max(max, r.position), 0) + 1;
  return context.tenant.mappingRules.insert({
    ...owner,
    http_method: checked(fields.http_method, 'http_method'),
    pattern: checked(fields.pattern, 'pattern'),
    delta: checked(fields.delta, 'delta'),
    metric_id: checked(fields.metric_id, 'metric_id'),
    last: fields.last ?? false,
    position,
  });
}

function ruleOf(context: AdminContext, owner: Owner): MappingRuleRow {
  const rule = found(context.tenant.mappingRules.get(idParam(context, 'rule_id')));
  return ownedBy(owner)(rule) ? rule : missing();
}

export function addMappingRuleRoutes(router: Router<AdminContext>, base: string, ownerOf: OwnerOf): void {
  const update = (c: AdminContext) => {
    const owner = ownerOf(c);
    const rule = ruleOf(c, owner);
    const fields = readRule(c.tenant, owner, unwrap(c.body, 'mapping_rule'), false);
    return ok({ mapping_rule: presentRule(c.tenant.mappingRules.update(rule.id, defined(fields))) });
  };
  router
    .add('GET', `${base}/mapping_rules.json`, (c) => {
      const owner = ownerOf(c);
      const rows = c.tenant.mappingRules.where(ownedBy(owner));
      return ok(listOf('mapping_rules', 'mapping_rule', paginate(rows, c.query).map(presentRule)));
    })
    .add('POST', `${base}/mapping_rules.json`, (c) => created({ mapping_rule: presentRule(createRule(c, ownerOf(c))) }))
    .add('GET', `${base}/mapping_rules/:rule_id.json`, (c) => ok({ mapping_rule: presentRule(ruleOf(c, ownerOf(c))) }))
    .add('PUT', `${base}/mapping_rules/:rule_id.json`, update)
    .add('PATCH', `${base}/mapping_rules/:rule_id.json`, update)
    .add('DELETE', `${base}/mapping_rules/:rule_id.json`, (c) => {
      c.tenant.mappingRules.delete(ruleOf(c, ownerOf(c)).id);
      return deleted();
    });
}
