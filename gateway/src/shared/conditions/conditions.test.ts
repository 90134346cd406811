import assert from 'node:assert/strict';
import { PolicyConfigurationError } from '../../chain/policy.js';
import { HeadersDrop } from '../liquid/index.js';
import { compileCondition, compileOperation, LOGGING_FIELDS, rateLimitedWarn, templateOperand } from './index.js';

const scope = { uri: '/v1/items', headers: new HeadersDrop({ 'X-Env': 'prod' }), service: { id: '7' } };
const op = (left: string, o: string, right: string, extra: Record<string, unknown> = {}) => ({ left, op: o, right, ...extra });

describe('shared/conditions', () => {
  it('absent condition is always true', () => {
    assert.equal(compileCondition(undefined, { field: 'condition' }).evaluate(scope), true);
    assert.equal(compileCondition(null, { field: 'condition' }).evaluate(scope), true);
  });
  it('== and != compare string forms of plain and liquid values', () => {
    const c = compileCondition(
      { operations: [op('{{ service.id }}', '==', '7', { left_type: 'liquid' }), op('a', '!=', 'b')] },
      { field: 'condition' },
    );
    assert.equal(c.evaluate(scope), true);
    const plainNotRendered = compileCondition({ operations: [op('{{ service.id }}', '==', '7')] }, { field: 'condition' });
    assert.equal(plainNotRendered.evaluate(scope), false);
  });
  it('matches is an unanchored, case-sensitive search', () => {
    const c = (pattern: string) =>
      compileCondition({ operations: [op('{{ uri }}', 'matches', pattern, { left_type: 'liquid' })] }, { field: 'c' }).evaluate(scope);
    assert.equal(c('items'), true);
    assert.equal(c('^/v1/'), true);
    assert.equal(c('ITEMS'), false);
    assert.equal(c('^items'), false);
  });
  it('combine_op and (default, empty ⇒ true) and or (empty ⇒ false)', () => {
    const t = op('a', '==', 'a');
    const f = op('a', '==', 'b');
    const ev = (ops: unknown[], combine_op?: string) =>
      compileCondition({ operations: ops, ...(combine_op ? { combine_op } : {}) }, { field: 'c' }).evaluate(scope);
    assert.equal(ev([]), true);
    assert.equal(ev([], 'or'), false);
    assert.equal(ev([t, f]), false);
    assert.equal(ev([t, f], 'or'), true);
    assert.equal(ev([f, f], 'or'), false);
  });
  it('quirk: a missing value (raw operand) compares as the string nil', () => {
    const missingHeader = { source: 'header X-Missing', constant: false, value: () => undefined };
    const eq = (right: string) =>
      compileOperation({ left: missingHeader, op: '==', right: templateOperand(right, 'plain'), field: 'op' }).evaluate(scope);
    const ne = (right: string) =>
      compileOperation({ left: missingHeader, op: '!=', right: templateOperand(right, 'plain'), field: 'op' }).evaluate(scope);
    assert.equal(eq('nil'), true);
    assert.equal(ne('anything'), true);
    assert.equal(eq(''), false);
  });
  it('uses the policy-specific field names (logging: match/value)', () => {
    const c = compileCondition(
      { operations: [{ match: '{{ headers.x_env }}', match_type: 'liquid', op: '==', value: 'prod' }] },
      { field: 'condition', names: LOGGING_FIELDS },
    );
    assert.equal(c.evaluate(scope), true);
  });
  it('rejects at load, naming the field: bad constant regex, unknown op, unknown combine_op, missing operations, disallowed op', () => {
    assert.throws(
      () => compileCondition({ operations: [op('x', 'matches', '(')] }, { field: 'rules[1].condition' }),
      (e: unknown) => e instanceof PolicyConfigurationError && e.field === 'rules[1].condition.operations[0].right',
    );
    assert.throws(() => compileCondition({ operations: [op('x', '=~', 'y')] }, { field: 'c' }), /c\.operations\[0\]\.op/);
    assert.throws(() => compileCondition({ operations: [], combine_op: 'xor' }, { field: 'c' }), /c\.combine_op/);
    assert.throws(() => compileCondition({ combine_op: 'and' }, { field: 'condition' }), /condition\.operations/);
    assert.throws(
      () => compileCondition({ operations: [op('a', 'matches', 'a')] }, { field: 'c', allowedOps: ['==', '!='] }),
      /c\.operations\[0\]\.op/,
    );
  });
  it('a Liquid-rendered pattern JavaScript rejects makes the operation false with one rate-limited warning', () => {
    const warnings: string[] = [];
    const c = compileCondition(
      { operations: [op('abc', 'matches', '{{ headers.x_pattern }}', { right_type: 'liquid' })] },
      { field: 'condition', warn: rateLimitedWarn((m) => warnings.push(m)) },
    );
    const bad = { headers: new HeadersDrop({ 'X-Pattern': '(' }) };
    const good = { headers: new HeadersDrop({ 'X-Pattern': 'b' }) };
    assert.equal(c.evaluate(bad), false);
    assert.equal(c.evaluate(bad), false);
    assert.equal(c.evaluate(good), true);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /condition\.operations\[0\]\.right/);
  });
});
