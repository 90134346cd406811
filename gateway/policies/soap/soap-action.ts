/**
 * The SOAP action of a request (policies.md §5.28): the `action` parameter of
 * `Content-Type: application/soap+xml; action=…` wins over the `SOAPAction`
 * header; an absolute URL is reduced to its path.
 */

/** Removes one pair of surrounding double quotes (SOAP 1.1 quotes SOAPAction; quoted-string parameters). */
function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** `action` parameter of a SOAP 1.2 Content-Type, if present. */
export function actionFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const [mediaType, ...params] = contentType.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/soap+xml') return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() === 'action') return unquote(param.slice(eq + 1));
  }
  return undefined;
}

/** Path of an absolute URL (`scheme://authority/path`), else the action itself. */
export function actionPath(action: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(action)) return action;
  try {
    return new URL(action).pathname;
  } catch {
    return action;
  }
}

export function soapAction(contentType: string | undefined, soapActionHeader: string | undefined): string | undefined {
  const action = actionFromContentType(contentType) ?? (soapActionHeader === undefined ? undefined : unquote(soapActionHeader));
  return action ? actionPath(action) : undefined;
}
