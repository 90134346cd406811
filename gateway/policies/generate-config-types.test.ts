// The committed config.generated.ts files are what the manifests generate (like crds/ and templates/ for the operator).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENERATED_FILE, POLICIES_SOURCE_DIR, REGENERATE_COMMAND, generateConfigTypes, pascalName } from './generate-config-types.js';

describe('policy configuration types (config.generated.ts)', function () {
  // json-schema-to-typescript formats with prettier: some seconds for the whole catalogue on a shared core.
  this.timeout(60_000);
  let generated: Map<string, string>;
  before(async () => { generated = await generateConfigTypes(); });

  it('every policy with a manifest has an up-to-date config.generated.ts', async () => {
    assert.ok(generated.size > 40, `only ${generated.size} manifests found under ${POLICIES_SOURCE_DIR}`);
    const stale: string[] = [];
    for (const [policy, source] of generated) {
      let committed: string | undefined;
      try { committed = await readFile(join(POLICIES_SOURCE_DIR, policy, GENERATED_FILE), 'utf8'); } catch { committed = undefined; }
      if (committed !== source) stale.push(`${policy}/${GENERATED_FILE} ${committed === undefined ? 'is missing' : 'is stale'}`);
    }
    assert.deepEqual(stale, [], `regenerate with: ${REGENERATE_COMMAND}`);
  });

  it('names each type after the policy folder', () => {
    assert.equal(pascalName('3scale_batcher'), 'ThreescaleBatcher');
    assert.equal(pascalName('cloud_hosted.upstream'), 'CloudHostedUpstream');
    for (const [policy, source] of generated) assert.ok(source.includes(`export interface ${pascalName(policy)}Config {`), policy);
  });

  it('keeps fields that a manifest adds through dependencies (default_credentials user_key, app_id, app_key)', async () => {
    const source = generated.get('default_credentials') ?? '';
    for (const field of ['auth_type: DefaultCredentialsAuthType;', 'user_key?: string;', 'app_id?: string;', 'app_key?: string;']) assert.ok(source.includes(field), field);
  });
});
