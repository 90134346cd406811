import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { danglingCitations, sectionsOf } from './citations.js';

// dist/test/docs -> repository root
const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('reference citations in comments', () => {
  it('every `<doc>.md §n` in the sources names an existing docs/ heading', async () => {
    const dangling = await danglingCitations(repo);
    assert.deepEqual(dangling, [], `dangling citations:\n${dangling.join('\n')}`);
  });

  it('reports a citation of a missing section or document with file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'citations-'));
    try {
      await mkdir(join(dir, 'gateway'));
      await mkdir(join(dir, 'docs'));
      await writeFile(join(dir, 'docs', 'gateway.md'), '# Gateway\n## 1. One\n### 1.2 Two\n');
      await writeFile(join(dir, 'gateway', 'x.ts'), '// gateway.md §1.2 ok\n// gateway.md §1.3 missing\n// nope.md §1 gone\n');
      assert.deepEqual(await danglingCitations(dir), [
        'gateway/x.ts:2 gateway.md §1.3 (no such heading)',
        'gateway/x.ts:3 nope.md §1 (no docs/nope.md)',
      ]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('takes the leading number of a heading as its section', () => {
    assert.deepEqual([...sectionsOf('## 0. Process\n#### 4.3.1 OIDC\ntext 5.1\n## Intro\n')], ['0', '4.3.1']);
  });
});
