import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { capabilityConditions } from './conditions.js';
import { describeFailure } from './failure.js';
import { parseResyncInterval } from './context.js';
import { ThreescaleApiError, ThreescaleUnreachableError } from '../threescale/errors.js';

const byType = (list: ReturnType<typeof capabilityConditions>) => Object.fromEntries(list.map((c) => [c.type, c.status]));

describe('capabilities: conditions, failures and the resync interval', () => {
  it('always reports the four conditions, exactly one of them True', () => {
    assert.deepEqual(byType(capabilityConditions({ kind: 'synced' })), {
      Synced: 'True',
      Invalid: 'False',
      Failed: 'False',
      Orphan: 'False',
    });
    assert.deepEqual(byType(capabilityConditions({ kind: 'invalid', message: 'x' })), {
      Synced: 'False',
      Invalid: 'True',
      Failed: 'False',
      Orphan: 'False',
    });
    assert.deepEqual(byType(capabilityConditions({ kind: 'orphan', reason: 'R', message: 'm' })), {
      Synced: 'False',
      Invalid: 'False',
      Failed: 'False',
      Orphan: 'True',
    });
    assert.deepEqual(byType(capabilityConditions({ kind: 'failed', reason: 'R', message: 'm' })), {
      Synced: 'False',
      Invalid: 'False',
      Failed: 'True',
      Orphan: 'False',
    });
  });

  it('a refusal (422, 403) is not retried; no answer or a 5xx is', () => {
    assert.deepEqual(
      {
        ...describeFailure(
          new ThreescaleApiError(
            422,
            'POST',
            '/admin/api/services.json',
            { system_name: ['has already been taken'] },
            'system_name: has already been taken',
          ),
        ),
        message: '',
      },
      { reason: 'Rejected', message: '', retry: false },
    );
    assert.equal(describeFailure(new ThreescaleApiError(403, 'GET', '/x', {}, 'Access denied')).reason, 'AccessDenied');
    assert.equal(describeFailure(new ThreescaleApiError(403, 'GET', '/x', {}, 'Access denied')).retry, false);
    assert.equal(describeFailure(new ThreescaleApiError(500, 'GET', '/x', {}, '')).retry, true);
    assert.deepEqual(
      describeFailure(new ThreescaleUnreachableError('GET', '/x', 'UND_ERR_HEADERS_TIMEOUT')).reason,
      'ThreescaleUnreachable',
    );
  });

  it('THREESCALE_RESYNC_INTERVAL takes 30s, 5m, 1h or seconds; refuses garbage and less than 10s', () => {
    assert.deepEqual(parseResyncInterval(undefined), { ok: true, ms: 300_000 });
    assert.deepEqual(parseResyncInterval('30s'), { ok: true, ms: 30_000 });
    assert.deepEqual(parseResyncInterval('2m'), { ok: true, ms: 120_000 });
    assert.deepEqual(parseResyncInterval('45'), { ok: true, ms: 45_000 });
    assert.equal(parseResyncInterval('5 minutes').ok, false);
    assert.match((parseResyncInterval('500ms') as { reason: string }).reason, /shorter than 10s/);
  });
});
