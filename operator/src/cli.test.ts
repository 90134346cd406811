import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/threescale-operator.js', import.meta.url));
const source = fileURLToPath(new URL('../../../operator/src/cli.ts', import.meta.url));

describe('threescale-operator CLI usage', () => {
  it('--help lists every command the dispatcher accepts', () => {
    // The commands are read from the dispatcher's `case` labels so a new command without a USAGE line fails here.
    const commands = [...readFileSync(source, 'utf8').matchAll(/case '([a-z-]+)':/g)].map((m) => m[1]).filter((c) => c !== '--help');
    assert.ok(commands.includes('deploy-manifests'));
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    for (const command of commands) assert.match(result.stderr, new RegExp(`^  ${command}( |$)`, 'm'), `USAGE mentions ${command}`);
  });
  it('an unknown command exits 2 with the usage', () => {
    const result = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /deploy-manifests --out DIR/);
  });
});
