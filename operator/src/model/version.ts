// The version of this package, used in the default gateway image tag.
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  // dist/operator/src/model/version.js → repository root is four levels up.
  const url = new URL('../../../../package.json', import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(url, 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  throw new Error('package.json has no version');
}

export const OPERATOR_PACKAGE_VERSION = packageVersion();
