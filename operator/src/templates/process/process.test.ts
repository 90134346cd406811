import assert from 'node:assert/strict';
import type { Template } from '../../openshift/index.js';
import { generateFromExpression, ExpressionError } from './expression.js';
import { processTemplate, TemplateProcessError } from './process.js';

function template(parameters: Template['parameters'], objects: Template['objects'], message?: string): Template {
  return { apiVersion: 'template.openshift.io/v1', kind: 'Template', metadata: { name: 't' }, parameters, objects, ...(message ? { message } : {}) };
}

describe('template processor (oc process semantics)', () => {
  describe('generate: expression', () => {
    it('produces values of the declared alphabet and length', () => {
      for (const [from, shape] of [
        ['[a-z0-9]{8}', /^[a-z0-9]{8}$/],
        ['[a-f0-9]{128}', /^[a-f0-9]{128}$/],
        ['[a-zA-Z0-9]{16}', /^[a-zA-Z0-9]{16}$/],
        ['[\\w]{16}', /^\w{16}$/],
        ['[\\d]{5}', /^\d{5}$/],
        ['[\\a]{12}', /^[a-zA-Z0-9]{12}$/],
        ['pw-[\\d]{4}-x', /^pw-\d{4}-x$/],
      ] as const) {
        assert.match(generateFromExpression(from), shape, from);
      }
    });

    it('draws fresh values each time (a fixed value would be a shared secret)', () => {
      const seen = new Set(Array.from({ length: 20 }, () => generateFromExpression('[a-z0-9]{16}')));
      assert.equal(seen.size, 20);
    });

    it('uses every character of the class over many draws', () => {
      const drawn = new Set(generateFromExpression('[a-f0-9]{2000}'));
      assert.deepEqual([...drawn].sort().join(''), '0123456789abcdef');
    });

    it('rejects malformed expressions with the reason', () => {
      assert.throws(() => generateFromExpression('[a-z]'), (e: unknown) => e instanceof ExpressionError && /no \{count\}/.test(e.message));
      assert.throws(() => generateFromExpression('[a-z{8}'), /unclosed/);
      assert.throws(() => generateFromExpression('[z-a]{3}'), /reversed/);
      assert.throws(() => generateFromExpression('[\\q]{3}'), /unknown class shorthand/);
    });
  });

  describe('parameters', () => {
    const params: Template['parameters'] = [
      { name: 'NAME', value: 'apicast', required: true },
      { name: 'SECRET', generate: 'expression', from: '[a-z0-9]{8}', required: true },
      { name: 'DOMAIN', required: true },
      { name: 'OPTIONAL' },
    ];
    const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${NAME}' }, data: { all: '${NAME}/${SECRET}/${DOMAIN}/${OPTIONAL}' } }];

    it('uses defaults, generates values and takes user values', () => {
      const out = processTemplate(template(params, objects), { DOMAIN: 'example.com' });
      const data = (out.objects[0].data as { all: string }).all;
      assert.match(data, /^apicast\/[a-z0-9]{8}\/example\.com\/$/);
      assert.equal(out.objects[0].metadata?.name, 'apicast');
      assert.equal(out.values.get('SECRET')!.length, 8);
    });

    it('a user value wins over the default and over generation', () => {
      const out = processTemplate(template(params, objects), { NAME: 'gw', SECRET: 'mine', DOMAIN: 'd' });
      assert.equal((out.objects[0].data as { all: string }).all, 'gw/mine/d/');
    });

    it('a missing required parameter is an error naming it', () => {
      assert.throws(() => processTemplate(template(params, objects)), (e: unknown) =>
        e instanceof TemplateProcessError && e.problems.length === 1 && e.problems[0].parameter === 'DOMAIN' && /required/.test(e.problems[0].reason));
    });

    it('an explicitly empty value for a required parameter is an error too', () => {
      assert.throws(() => processTemplate(template(params, objects), { DOMAIN: '' }), /DOMAIN: is required/);
    });

    it('an unknown user parameter is an error (no silent typo)', () => {
      assert.throws(() => processTemplate(template(params, objects), { DOMAIN: 'd', DOMIAN: 'x' }), /DOMIAN: unknown parameter/);
    });
  });

  describe('substitution', () => {
    const params: Template['parameters'] = [
      { name: 'INSECURE', value: 'false' },
      { name: 'CLASS', value: 'null' },
      { name: 'COUNT', value: '3' },
      { name: 'WORD', value: 'fast' },
      { name: 'KEY', value: 'k' },
    ];
    const objects = [{
      apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x', labels: { '${KEY}': 'v' } },
      spec: {
        insecure: '${{INSECURE}}', storageClassName: '${{CLASS}}', replicas: '${{COUNT}}', word: '${{WORD}}',
        inline: 'is ${{INSECURE}} and ${WORD}', unknown: '${NOT_A_PARAM}', list: ['${WORD}', 1, true, null],
      },
    }];

    it('${{P}} alone decodes JSON: booleans, null, numbers; other values stay strings', () => {
      const spec = processTemplate(template(params, objects)).objects[0].spec as Record<string, unknown>;
      assert.equal(spec.insecure, false);
      assert.equal(spec.storageClassName, null);
      assert.equal(spec.replicas, 3);
      assert.equal(spec.word, 'fast');
    });

    it('references inside longer strings, lists and map keys are substituted as text; unknown ones are kept', () => {
      const out = processTemplate(template(params, objects)).objects[0];
      const spec = out.spec as Record<string, unknown>;
      assert.equal(spec.inline, 'is false and fast');
      assert.equal(spec.unknown, '${NOT_A_PARAM}');
      assert.deepEqual(spec.list, ['fast', 1, true, null]);
      assert.deepEqual(out.metadata?.labels, { k: 'v' });
    });

    it('a user value for a ${{P}} parameter changes the type it yields', () => {
      const spec = processTemplate(template(params, objects), { INSECURE: 'true', CLASS: '"fast-rwx"' }).objects[0].spec as Record<string, unknown>;
      assert.equal(spec.insecure, true);
      assert.equal(spec.storageClassName, 'fast-rwx');
    });

    it('substitutes the message and merges template labels into every object', () => {
      const t = { ...template([{ name: 'U', value: 'admin' }], [{ apiVersion: 'v1', kind: 'A', metadata: { name: 'a', labels: { x: 'y' } } }], 'login as ${U}'), labels: { team: '${U}' } };
      const out = processTemplate(t);
      assert.equal(out.message, 'login as admin');
      assert.deepEqual(out.objects[0].metadata?.labels, { x: 'y', team: 'admin' });
    });

    it('leaves the input template untouched', () => {
      const t = template(params, objects);
      const before = JSON.stringify(t);
      processTemplate(t, { INSECURE: 'true' });
      assert.equal(JSON.stringify(t), before);
    });
  });
});
