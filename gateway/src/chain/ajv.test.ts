import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAjv, describeErrors } from './ajv.js';
import { CONFIGURATION_SCHEMA } from '../config/schema.js';
import { MANIFEST_SCHEMA } from './manifest.js';
import { BUILTIN_POLICIES_DIR } from './registry.js';

describe('policy configuration validator', () => {
  it('knows the data-url format the TLS manifests use', () => {
    const validate = createAjv().compile({ type: 'object', properties: { certificate: { type: 'string', format: 'data-url' } } });
    assert.equal(validate({ certificate: 'data:application/pkix-cert;name=c.pem;base64,AAAA' }), true);
    assert.equal(validate({ certificate: 'not a data url' }), false);
  });

  it('names the field and the reason', () => {
    const validate = createAjv().compile({ type: 'object', required: ['x'], properties: { op: { enum: ['set', 'push'] } } });
    validate({ op: 'pop' });
    const message = describeErrors(validate.errors, 'configuration');
    assert.match(message, /configuration\/x: must have required property 'x'/);
    assert.match(message, /configuration\/op: must be equal to one of the allowed values \(set, push\)/);
  });
});

describe('the gateway’s own schemas are valid draft-07 (they compile unchecked at boot)', () => {
  it('the configuration schema, the manifest schema and every builtin manifest’s configuration', async () => {
    const checking = createAjv();
    const schemas: [string, unknown][] = [
      ['configuration schema', CONFIGURATION_SCHEMA],
      ['manifest schema', MANIFEST_SCHEMA],
    ];
    for (const name of (await readdir(BUILTIN_POLICIES_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)) {
      let manifest: { configuration?: unknown };
      try {
        manifest = JSON.parse(await readFile(join(BUILTIN_POLICIES_DIR, name, 'apicast-policy.json'), 'utf8')) as typeof manifest;
      } catch {
        continue; // internal policies have no manifest
      }
      schemas.push([`${name} configuration`, manifest.configuration]);
    }
    assert.ok(schemas.length > 30, `only ${schemas.length} schemas found`);
    for (const [name, schema] of schemas) {
      assert.equal(checking.validateSchema(schema as object), true, `${name}: ${checking.errorsText(checking.errors)}`);
      // Strict mode (unknown keywords, bad formats) is still enforced by a trusted compile.
      assert.doesNotThrow(() => createAjv({ trusted: true }).compile(schema as object), name);
    }
  });

  it('a custom policy’s schema is still checked against the meta-schema', () => {
    assert.throws(() => createAjv().compile({ type: 'object', properties: { x: { type: 'no-such-type' } } }), /schema is invalid/);
  });
});
