/**
 * Application keys (app_id/app_key products): list as
 * `{"keys":[{"key":{"value":…}}]}`; create and delete answer the
 * application, as porta's BuyerApplicationKeysController does. At most 5
 * keys, each once (422); deleting an unknown key is 404.
 */
import { text, checked } from '../fields.js';
import { created, FieldErrors, notFound, ok } from '../reply.js';
import type { AdminContext, Router } from '../router.js';
import { applicationOf, presentApplication } from './applications.js';

export const MAX_KEYS = 5;

export function addKeyRoutes(router: Router<AdminContext>): void {
  const base = '/admin/api/accounts/:account_id/applications/:application_id/keys';
  router
    .add('GET', `${base}.json`, (c) => ok({ keys: applicationOf(c).keys.map((value) => ({ key: { value } })) }))
    .add('POST', `${base}.json`, (c) => {
      const application = applicationOf(c);
      const key = text(c.body, 'key');
      const errors = new FieldErrors();
      if (!key) errors.add('value', "can't be blank");
      else if (application.keys.includes(key)) errors.add('value', 'has already been taken');
      if (application.keys.length >= MAX_KEYS) errors.add('base', `Limit reached: an application can have at most ${MAX_KEYS} keys`);
      errors.throwIfAny();
      const row = c.tenant.applications.update(application.id, { keys: [...application.keys, checked(key, 'key')] });
      return created({ application: presentApplication(c.tenant, row) });
    })
    .add('DELETE', `${base}/:key.json`, (c) => {
      const application = applicationOf(c);
      const key = c.params.key;
      if (!application.keys.includes(key)) throw notFound();
      const row = c.tenant.applications.update(application.id, { keys: application.keys.filter((k) => k !== key) });
      return ok({ application: presentApplication(c.tenant, row) });
    });
}
