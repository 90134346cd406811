import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
// dist/test/bundle-validate -> repository root
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Resources whose RBAC rules the deprecated-API suite flags although the operator only writes their current version. */
const VERSIONLESS_RBAC = ['poddisruptionbudgets', 'horizontalpodautoscalers'];
const RULE_LIST = String.raw`\(\[("ClusterServiceVersion\.Spec\.InstallStrategy\.StrategySpec\.(Cluster)?Permissions\[\d+\]\.Rules\[\d+\]" ?)+\]\)`;
const VERSIONLESS_RBAC_WARNING = new RegExp(String.raw`Migrate the API\(s\) for ((${VERSIONLESS_RBAC.join('|')}): ${RULE_LIST},?)+$`);

function isVersionlessRbacWarning(line: string): boolean {
  return line.startsWith('WARNING ') && VERSIONLESS_RBAC_WARNING.test(line);
}

describe('OLM bundle validators (operator-framework/api)', function () {
  // A cold build of the Go validator takes about a minute on 2 cores.
  this.timeout(600_000);

  it('manifests/bundle passes the default, OperatorHub, good-practices, capabilities and deprecated-API suites with no warning but the unavoidable PDB/HPA RBAC one', async () => {
    const built = await run('bash', [`${repo}test/bundle-validate/build.sh`], { maxBuffer: 1 << 24 });
    const bin = built.stdout.trim().split('\n').pop()!;
    const result = await run(bin, [`${repo}manifests/bundle`]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: unknown) => {
        const failed = e as { code?: number; stdout?: string };
        return { code: failed.code ?? -1, out: failed.stdout ?? '' };
      },
    );
    // RBAC rules carry no API version, so the deprecated-API suite warns on any
    // rule for policy/poddisruptionbudgets and autoscaling/horizontalpodautoscalers,
    // even though the operator writes only policy/v1 PDBs and autoscaling/v2 HPAs.
    // That finding is accepted; any other fails.
    const findings = result.out.split('\n').filter((l) => /^(ERROR|WARNING) /.test(l));
    const unexpected = findings.filter((l) => !isVersionlessRbacWarning(l));
    assert.deepEqual(unexpected, [], `bundle validation findings:\n${unexpected.join('\n')}`);
    assert.ok(result.code === 0 || findings.length > 0, `validator exited ${result.code} without findings:\n${result.out}`);
  });
});
