import assert from 'node:assert/strict';
import { createAjv, describeErrors } from './ajv.js';

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
