// `threescale-operator templates [--out templates]`: writes every template file (the I/O edge of generate.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTemplates } from './generate.js';

export async function writeTemplates(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of generateTemplates()) {
    const path = join(outDir, file);
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}
