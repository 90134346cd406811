import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const run = promisify(execFile);
// dist/test/bundle-validate -> repository root
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The suites main.go runs: the defaults plus OperatorHub's optional ones; each reports one "ran" line. */
const EXPECTED_SUITES = 5;

interface ValidatorRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function validate(bundleDir: string): Promise<ValidatorRun> {
  const built = await run('bash', [`${repo}test/bundle-validate/build.sh`], { maxBuffer: 1 << 24 });
  const bin = built.stdout.trim().split('\n').pop() ?? '';
  assert.ok(bin !== '', `build.sh printed no binary path:\n${built.stderr}`);
  try {
    const r = await run(bin, [bundleDir]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error: unknown) {
    // execFile rejects with the exit code and both streams when the validator exits non-zero.
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown };
    if (typeof failed.code !== 'number') throw error;
    const text = (stream: unknown): string => (typeof stream === 'string' ? stream : '');
    return { code: failed.code, stdout: text(failed.stdout), stderr: text(failed.stderr) };
  }
}

describe('OLM bundle validators (operator-framework/api)', function () {
  // A cold build of the Go validator takes about a minute on 2 cores.
  this.timeout(600_000);

  it('manifests/bundle passes the default, OperatorHub, good-practices, capabilities and deprecated-API suites with 0 errors and 0 warnings', async () => {
    const result = await validate(`${repo}manifests/bundle`);
    const findings = result.stdout.split('\n').filter((l) => /^(ERROR|WARNING) /.test(l));
    assert.deepEqual(findings, [], `bundle validation findings:\n${findings.join('\n')}`);
    assert.equal(result.code, 0, `validator exited ${result.code}:\n${result.stdout}${result.stderr}`);
    // A pass only counts if every suite actually ran over the bundle.
    const ran = result.stderr.split('\n').filter((l) => l.startsWith('ran '));
    assert.equal(ran.length, EXPECTED_SUITES, `suites that ran:\n${result.stderr}`);
    assert.match(result.stdout, /^bundle valid$/m);
  });

  // The check above must be able to fail: the deprecated-API suite warns about an RBAC rule on PDBs
  // unless the CSV lists PodDisruptionBudget (at policy/v1) among the resources a CR owns.
  it('flags a bundle whose CSV grants PDB RBAC without naming PodDisruptionBudget among the owned resources', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bundle-'));
    try {
      await cp(`${repo}manifests/bundle`, dir, { recursive: true });
      const csvFile = (await readdir(join(dir, 'manifests'))).find((f) => f.endsWith('.clusterserviceversion.yaml'));
      assert.ok(csvFile !== undefined, 'no CSV in manifests/bundle/manifests');
      const path = join(dir, 'manifests', csvFile);
      const csv = parse(await readFile(path, 'utf8')) as {
        spec: { customresourcedefinitions: { owned: { resources?: { kind: string }[] }[] } };
      };
      for (const owned of csv.spec.customresourcedefinitions.owned) {
        owned.resources = owned.resources?.filter((r) => r.kind !== 'PodDisruptionBudget');
      }
      await writeFile(path, stringify(csv));
      const result = await validate(dir);
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /^WARNING .*Migrate the API\(s\) for poddisruptionbudgets/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
