import assert from 'node:assert/strict';
import { parseRunConfig } from './run-command.js';
import { detectFlavour, parseWatchNamespace } from './manager.js';

describe('threescale-operator run: configuration', () => {
  it('WATCH_NAMESPACE: one, a comma list (trimmed, deduplicated), or empty for all', () => {
    assert.deepEqual(parseWatchNamespace('a'), ['a']);
    assert.deepEqual(parseWatchNamespace(' a, b ,a,'), ['a', 'b']);
    assert.equal(parseWatchNamespace(''), undefined);
    assert.equal(parseWatchNamespace(undefined), undefined);
  });
  it('flavour: --flavour wins over THREESCALE_FLAVOUR; a bad value names its source', () => {
    assert.equal(parseRunConfig(['--flavour', 'kubernetes'], { THREESCALE_FLAVOUR: 'openshift' }).flavour, 'kubernetes');
    assert.equal(parseRunConfig([], { THREESCALE_FLAVOUR: 'openshift' }).flavour, 'openshift');
    assert.equal(parseRunConfig([], {}).flavour, undefined);
    assert.throws(() => parseRunConfig([], { THREESCALE_FLAVOUR: 'ocp' }), /THREESCALE_FLAVOUR: must be openshift or kubernetes/);
    assert.throws(() => parseRunConfig(['--flavour=ocp'], {}), /--flavour: must be/);
  });
  it('rejects unknown flags and bad ports; the lease lives in the operator namespace', () => {
    assert.throws(() => parseRunConfig(['--verbose', 'x'], {}), /unknown flag --verbose/);
    assert.throws(() => parseRunConfig(['--health-port', '70000'], {}), /--health-port: not a port number/);
    const config = parseRunConfig(['--no-leader-elect'], { WATCH_NAMESPACE: 'x,y', OPERATOR_NAMESPACE: 'ops' });
    assert.equal(config.leaderElect, false);
    assert.equal(config.leaseNamespace, 'ops');
    assert.deepEqual(config.namespaces, ['x', 'y']);
  });
  it('capabilities: THREESCALE_RESYNC_INTERVAL and THREESCALE_API_TIMEOUT, each named when wrong', () => {
    const config = parseRunConfig([], { THREESCALE_RESYNC_INTERVAL: '1m', THREESCALE_API_TIMEOUT: '2s' });
    assert.equal(config.resyncMs, 60_000);
    assert.equal(config.apiTimeoutMs, 2000);
    assert.equal(parseRunConfig([], {}).resyncMs, 300_000);
    assert.equal(parseRunConfig([], {}).apiTimeoutMs, 15_000);
    assert.throws(
      () => parseRunConfig([], { THREESCALE_RESYNC_INTERVAL: 'often' }),
      /THREESCALE_RESYNC_INTERVAL: "often" is not a duration/,
    );
    assert.throws(() => parseRunConfig([], { THREESCALE_API_TIMEOUT: '10ms' }), /THREESCALE_API_TIMEOUT: 10ms is shorter than 1s/);
  });
  it('discovery: openshift only when DeploymentConfigs and Routes are both served', () => {
    assert.equal(detectFlavour(new Set(['apps.openshift.io/v1', 'route.openshift.io/v1'])), 'openshift');
    assert.equal(detectFlavour(new Set(['route.openshift.io/v1'])), 'kubernetes');
  });
});
