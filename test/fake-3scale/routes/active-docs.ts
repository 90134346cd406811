/**
 * ActiveDocs (`api_docs`): name and body required, system_name derived and
 * unique, body a JSON object (422 otherwise) that is a Swagger/OpenAPI
 * document (`swagger` or `openapi` at the top) unless
 * skip_swagger_validations; service_id, when given, a product of the tenant.
 */
import { unwrap, type Fields } from '../body.js';
import { defined, flag, integer, systemNameOf, text, checked } from '../fields.js';
import { listOf, paginate } from '../paging.js';
import { created, deleted, FieldErrors, ok } from '../reply.js';
import { found, idParam, type AdminContext, type Router } from '../router.js';
import type { ActiveDocRow, Tenant } from '../state.js';

export function presentActiveDoc(row: ActiveDocRow) {
  return {
    id: row.id,
    name: row.name,
    system_name: row.system_name,
    body: row.body,
    description: row.description,
    published: row.published,
    skip_swagger_validations: row.skip_swagger_validations,
    service_id: row.service_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function checkSpec(errors: FieldErrors, body: string, skipValidation: boolean): void {
  let spec: unknown;
  try {
    spec = JSON.parse(body);
  } catch {
    errors.add('body', 'JSON Spec is invalid');
    return;
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    errors.add('body', 'JSON Spec is invalid');
    return;
  }
  const doc = spec as Record<string, unknown>;
  if (!skipValidation && doc.swagger === undefined && doc.openapi === undefined && doc.swaggerVersion === undefined) {
    errors.add('base', 'Invalid Swagger: the document has no swagger or openapi version');
  }
}

function readDoc(tenant: Tenant, body: Fields, existing: ActiveDocRow | undefined): Partial<ActiveDocRow> {
  const errors = new FieldErrors();
  const name = text(body, 'name');
  if (existing === undefined ? !name : name === '') errors.add('name', "can't be blank");
  let systemName: string | undefined;
  if (existing === undefined) {
    systemName = text(body, 'system_name') || systemNameOf(name ?? '');
    if (systemName && tenant.activeDocs.find((d) => d.system_name === systemName)) errors.add('system_name', 'has already been taken');
  }
  const skip = flag(body, 'skip_swagger_validations', errors);
  const spec = text(body, 'body');
  if (existing === undefined && !spec) errors.add('body', "can't be blank");
  if (spec) checkSpec(errors, spec, skip ?? existing?.skip_swagger_validations ?? false);
  const serviceId = integer(body, 'service_id', errors);
  if (serviceId !== undefined && !tenant.services.get(serviceId)) errors.add('service_id', 'is invalid');
  const fields = defined({
    name,
    system_name: systemName,
    body: spec,
    description: text(body, 'description'),
    published: flag(body, 'published', errors),
    skip_swagger_validations: skip,
    service_id: serviceId,
  });
  errors.throwIfAny();
  return fields;
}

export function addActiveDocRoutes(router: Router<AdminContext>): void {
  const docOf = (c: AdminContext) => found(c.tenant.activeDocs.get(idParam(c, 'doc_id')));
  router
    .add('GET', '/admin/api/active_docs.json', (c) =>
      ok(listOf('api_docs', 'api_doc', paginate(c.tenant.activeDocs.all(), c.query).map(presentActiveDoc))),
    )
    .add('POST', '/admin/api/active_docs.json', (c) => {
      const fields = readDoc(c.tenant, unwrap(c.body, 'api_doc'), undefined);
      const row = c.tenant.activeDocs.insert({
        name: checked(fields.name, 'name'),
        system_name: checked(fields.system_name, 'system_name'),
        body: checked(fields.body, 'body'),
        description: fields.description ?? null,
        published: fields.published ?? false,
        skip_swagger_validations: fields.skip_swagger_validations ?? false,
        service_id: fields.service_id ?? null,
      });
      return created({ api_doc: presentActiveDoc(row) });
    })
    .add('GET', '/admin/api/active_docs/:doc_id.json', (c) => ok({ api_doc: presentActiveDoc(docOf(c)) }))
    .add('PUT', '/admin/api/active_docs/:doc_id.json', (c) => {
      const doc = docOf(c);
      return ok({ api_doc: presentActiveDoc(c.tenant.activeDocs.update(doc.id, readDoc(c.tenant, unwrap(c.body, 'api_doc'), doc))) });
    })
    .add('DELETE', '/admin/api/active_docs/:doc_id.json', (c) => {
      c.tenant.activeDocs.delete(docOf(c).id);
      return deleted();
    });
}
