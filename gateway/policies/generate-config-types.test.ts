// The committed config.generated.ts files are what the manifests generate (like crds/ and templates/ for the operator).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENERATED_FILE, POLICIES_SOURCE_DIR, REGENERATE_COMMAND, generateConfigTypes, pascalName } from './generate-config-types.js';

describe('policy configuration types (config.generated.ts)', function () {
  // json-schema-to-typescript formats with prettier: under a second for the catalogue, more on a busy shared core.
  this.timeout(60_000);
  let generated: Map<string, string>;
  before(async () => {
    generated = await generateConfigTypes();
  });

  it('every policy with a manifest has an up-to-date config.generated.ts', async () => {
    assert.ok(generated.size > 40, `only ${generated.size} manifests found under ${POLICIES_SOURCE_DIR}`);
    const stale: string[] = [];
    for (const [policy, source] of generated) {
      let committed: string | undefined;
      try {
        committed = await readFile(join(POLICIES_SOURCE_DIR, policy, GENERATED_FILE), 'utf8');
      } catch {
        committed = undefined;
      }
      if (committed !== source) stale.push(`${policy}/${GENERATED_FILE} ${committed === undefined ? 'is missing' : 'is stale'}`);
    }
    assert.deepEqual(stale, [], `regenerate with: ${REGENERATE_COMMAND}`);
  });

  it('leaves no config.generated.ts behind in a folder without a manifest', async () => {
    const folders = (await readdir(POLICIES_SOURCE_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    const orphans: string[] = [];
    for (const policy of folders) {
      const files = await readdir(join(POLICIES_SOURCE_DIR, policy));
      if (files.includes(GENERATED_FILE) && !generated.has(policy)) orphans.push(`${policy}/${GENERATED_FILE}`);
    }
    assert.deepEqual(orphans, [], 'delete them: their manifest is gone');
  });

  it('names each type after the policy folder', () => {
    assert.equal(pascalName('3scale_batcher'), 'ThreescaleBatcher');
    assert.equal(pascalName('cloud_hosted.upstream'), 'CloudHostedUpstream');
    for (const [policy, source] of generated) assert.ok(source.includes(`export interface ${pascalName(policy)}Config {`), policy);
  });

  it('keeps fields that a manifest adds through dependencies (default_credentials user_key, app_id, app_key)', () => {
    const source = generated.get('default_credentials') ?? '';
    for (const field of ['auth_type: DefaultCredentialsAuthType;', 'user_key?: string;', 'app_id?: string;', 'app_key?: string;'])
      assert.ok(source.includes(field), field);
  });

  it('turns enum values labelled through oneOf branches into one string union (caching_type)', () => {
    const source = generated.get('caching') ?? '';
    assert.ok(source.includes("export type CachingCachingType = 'resilient' | 'strict' | 'allow' | 'none';"), source);
    assert.ok(source.includes('caching_type: CachingCachingType;'), source);
  });
});
