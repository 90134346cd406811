import assert from 'node:assert/strict';
import {
  compareVersions,
  decide,
  decideHop,
  DEFAULT_REQUIREMENTS,
  judge,
  needsProbes,
  parseRequirements,
  parseVersion,
  type PreflightInput,
} from './decide.js';

describe('preflights: decisions (pure)', () => {
  it('parses the leading dotted number of what servers report', () => {
    assert.deepEqual(parseVersion('8.0.32'), [8, 0, 32]);
    assert.deepEqual(parseVersion('10.11.19-MariaDB-0+deb12u1'), [10, 11, 19]);
    assert.deepEqual(parseVersion('15.18 (Debian 15.18-0+deb12u1)'), [15, 18]);
    assert.deepEqual(parseVersion('v7.2'), [7, 2]);
    assert.equal(parseVersion('unknown'), undefined);
  });

  it('compares part by part, a missing part being 0', () => {
    assert.equal(compareVersions([8, 0, 32], [8, 0]), 1);
    assert.equal(compareVersions([8, 0], [8, 0, 0]), 0);
    assert.equal(compareVersions([5, 7, 44], [8, 0]), -1);
    assert.equal(compareVersions([10, 0], [9, 6, 24]), 1);
    assert.equal(compareVersions([6, 2, 14], [6, 10]), -1, 'numeric, not lexical');
  });

  it('reads the ConfigMap keys; empty means no minimum, garbage is a problem', () => {
    const r = parseRequirements({
      mysql_version: '8.0',
      postgres_version: '',
      system_redis_version: 'six',
      backend_redis_version: '6.2.0',
    });
    assert.deepEqual(r.minimum, { mysql: [8, 0], backendRedis: [6, 2, 0] });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0], /system_redis_version: "six" is not a version/);
    assert.deepEqual(Object.keys(parseRequirements(DEFAULT_REQUIREMENTS).minimum).sort(), [
      'backendRedis',
      'mysql',
      'postgresql',
      'systemRedis',
    ]);
  });

  it('the release hop: install, same, one minor up, refused for skipped minors, other majors and downgrades', () => {
    assert.deepEqual(decideHop(undefined, '2.9'), { kind: 'install' });
    assert.deepEqual(decideHop('2.9', '2.9'), { kind: 'same' });
    assert.deepEqual(decideHop('2.8', '2.9'), { kind: 'upgrade', from: '2.8' });
    assert.deepEqual(decideHop('2.14', '2.15'), { kind: 'upgrade', from: '2.14' });
    const skipped = decideHop('2.14', '2.16');
    assert.equal(skipped.kind, 'refused');
    assert.match((skipped as { reason: string }).reason, /from release 2\.14 to 2\.16 skips a minor/);
    assert.equal(decideHop('2.7', '2.9').kind, 'refused');
    assert.equal(decideHop('1.9', '2.0').kind, 'refused');
    assert.match((decideHop('2.10', '2.9') as { reason: string }).reason, /newer than this operator's 2\.9: downgrades/);
    assert.equal(decideHop('banana', '2.9').kind, 'refused');
  });

  it('judges each observation and names component, version and minimum', () => {
    const requirements = parseRequirements({ mysql_version: '8.0', backend_redis_version: '6.2', system_redis_version: '' });
    const verdict = judge(requirements, [
      { requirement: 'mysql', component: 'system-database (MySQL)', version: '5.7.44' },
      { requirement: 'backendRedis', component: 'backend-redis REDIS_STORAGE_URL', version: '7.0.15' },
      { requirement: 'backendRedis', component: 'backend-redis REDIS_QUEUES_URL', error: 'no answer within 5000 ms' },
      { requirement: 'systemRedis', component: 'system-redis URL', version: '3.0.0' },
    ]);
    assert.equal(verdict.ok, false);
    assert.deepEqual((verdict as { failures: string[] }).failures, [
      'system-database (MySQL): version 5.7.44 is below the minimum 8.0 (mysql_version)',
      'backend-redis REDIS_QUEUES_URL: version not readable (no answer within 5000 ms)',
    ]);
    const ok = judge(requirements, [{ requirement: 'mysql', component: 'system-database (MySQL)', version: '8.0.32' }]);
    assert.deepEqual(ok, { ok: true, checked: ['system-database (MySQL) 8.0.32 >= 8.0'] });
  });

  describe('the verdict', () => {
    const base: PreflightInput = { hop: { kind: 'install' }, confirmed: undefined, requirementsVersion: '42', probes: 2 };
    const failed = { ok: false as const, failures: ['system-database (MySQL): version 5.7.44 is below the minimum 8.0 (mysql_version)'] };
    const passed = { ok: true as const, checked: ['system-database (MySQL) 8.0.32 >= 8.0'] };

    it('probes only while not confirmed against the current ConfigMap, and never for a refused hop', () => {
      assert.equal(needsProbes(base), true);
      assert.equal(needsProbes({ ...base, confirmed: '42' }), false);
      assert.equal(needsProbes({ ...base, confirmed: '41', hop: { kind: 'same' } }), true, 'an edited ConfigMap is checked again');
      assert.equal(needsProbes({ ...base, probes: 0 }), false);
      assert.equal(needsProbes({ ...base, hop: { kind: 'refused', reason: 'x' } }), false);
    });

    it('a new install or an upgrade with a failure is held; an install at our release goes on reporting it', () => {
      assert.deepEqual(decide(base, failed), {
        action: 'hold',
        reason: 'RequirementsNotMet',
        message: `install held: ${failed.failures[0]}`,
      });
      assert.deepEqual(decide({ ...base, hop: { kind: 'upgrade', from: '2.8' } }, failed), {
        action: 'hold',
        reason: 'RequirementsNotMet',
        message: `upgrade from 2.8 held: ${failed.failures[0]}`,
      });
      assert.deepEqual(decide({ ...base, hop: { kind: 'same' } }, failed), {
        action: 'proceed',
        status: 'False',
        reason: 'RequirementsNotMet',
        message: failed.failures[0],
      });
    });

    it('a refused hop is held whatever the databases say', () => {
      assert.deepEqual(decide({ ...base, hop: { kind: 'refused', reason: 'skips a minor' }, confirmed: '42' }, undefined), {
        action: 'hold',
        reason: 'UpgradeRefused',
        message: 'skips a minor',
      });
    });

    it('success is confirmed once (annotation), then proceeds', () => {
      assert.equal(decide(base, passed).action, 'confirm');
      assert.equal(decide({ ...base, probes: 0 }, undefined).action, 'confirm', 'nothing external: confirmed at once');
      assert.deepEqual(decide({ ...base, confirmed: '42' }, undefined), {
        action: 'proceed',
        status: 'True',
        reason: 'RequirementsConfirmed',
        message: 'confirmed against ConfigMap 3scale-api-management-operator-requirements resourceVersion 42',
      });
    });
  });
});
