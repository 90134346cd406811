// Finds `<doc>.md §<section>` citations in the TypeScript sources and checks
// each against the headings of docs/<doc>.md. Matching rule: a citation
// `§4.3.1` matches a heading whose text starts with the section number
// `4.3.1` (optionally followed by a dot), e.g. `#### 4.3.1 OIDC JWT validation`.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface Citation {
  file: string;
  line: number;
  doc: string;
  section: string;
}

// The section is a dotted number; a trailing sentence dot is not part of it.
const citationPattern = /\b([a-z][a-z0-9-]*)\.md §(\d+(?:\.\d+)*)/g;
const sourceRoots = ['gateway', 'operator', 'test', 'bench', 'scripts'];

async function tsFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    // test/docs holds this checker and its deliberately dangling fixtures.
    if (e.isDirectory()) {
      if (!['node_modules', 'dist'].includes(e.name) && !p.endsWith(join('/test', 'docs'))) out.push(...(await tsFiles(p)));
    } else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

export function citationsIn(file: string, text: string): Citation[] {
  const found: Citation[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(citationPattern)) {
      found.push({ file, line: i + 1, doc: m[1], section: m[2] });
    }
  });
  return found;
}

/** Section numbers of a markdown document: the leading number of each heading. */
export function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const line of markdown.split('\n')) {
    const m = /^#{1,6}\s+(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(line);
    if (m) sections.add(m[1]);
  }
  return sections;
}

/** Every citation whose document or section is missing, as `file:line doc.md §n (why)`. */
export async function danglingCitations(repo: string, docsDir = join(repo, 'docs')): Promise<string[]> {
  const files = (await Promise.all(sourceRoots.map((r) => tsFiles(join(repo, r))))).flat().sort();
  const docs = new Map<string, Set<string> | null>();
  const problems: string[] = [];
  for (const f of files) {
    for (const c of citationsIn(relative(repo, f), await readFile(f, 'utf8'))) {
      if (!docs.has(c.doc)) {
        docs.set(c.doc, await readFile(join(docsDir, `${c.doc}.md`), 'utf8').then(sectionsOf, () => null));
      }
      const sections = docs.get(c.doc);
      const where = `${c.file}:${c.line} ${c.doc}.md §${c.section}`;
      if (sections === null || sections === undefined) problems.push(`${where} (no docs/${c.doc}.md)`);
      else if (!sections.has(c.section)) problems.push(`${where} (no such heading)`);
    }
  }
  return problems;
}
