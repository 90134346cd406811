/** nginx-style default error pages (policies.md §1.4): used when an exit has no body. */
import { STATUS_CODES } from 'node:http';

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

export function defaultErrorPage(status: number): string {
  const title = statusLine(status);
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n`;
}
