/** Regenerates operator/src/openshift/generated.ts from the stand-in CRDs. */
import { writeFile } from 'node:fs/promises';
import { generateModule } from './generate.js';
import { allSchemaSources, generatedTypesPath } from './sources.js';

const target = generatedTypesPath();
await writeFile(target, generateModule(await allSchemaSources()));
console.log(`wrote ${target}`);
