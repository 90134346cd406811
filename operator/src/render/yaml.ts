// Multi-document YAML output of render.
import { stringify } from 'yaml';
import type { BuildResult } from '../components/common/desired.js';

export function toMultiDocumentYaml(result: BuildResult, namespace?: string): string {
  return result.objects
    .map(({ object }) => {
      const withNs = namespace === undefined ? object : { ...object, metadata: { ...object.metadata, namespace } };
      return `---\n${stringify(withNs, { lineWidth: 0, aliasDuplicateObjects: false })}`;
    })
    .join('');
}
