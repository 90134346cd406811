/**
 * Raw HTTP shapes no ordinary client sends, with the status the gateway must
 * answer: used by the hostile-HTTP tests (src/http/hostile/) and by the
 * `make reliability` runner (bench/reliability).
 */
import { head, USER_KEY } from '../src/http/hostile/harness.js';

const K = `user_key=${USER_KEY}`;

/** [what, raw request, status]. */
export const MALFORMED_SHAPES: [string, string, number][] = [
  ['not HTTP at all', 'GARBAGE GARBAGE GARBAGE\r\n\r\n', 400],
  ['a request line without a target', 'GET\r\nHost: hostile.test\r\n\r\n', 400],
  ['an unknown HTTP version', `GET /?${K} HTTP/9.9\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a method with illegal characters', `G@T /?${K} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a space inside the target', `GET /a b?${K} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a control character in the target', `GET /a\u0001b?${K} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a header line without a colon', `${head()}NoColonHere\r\n\r\n`, 400],
  ['a space inside a header name', `${head()}Bad Name: x\r\n\r\n`, 400],
  ['a space before the colon', `${head()}X-Thing : x\r\n\r\n`, 400],
  ['a NUL byte in a header value', `${head()}X-Thing: a\u0000b\r\n\r\n`, 400],
  ['obsolete line folding', `${head()}X-Thing: a\r\n  folded\r\n\r\n`, 400],
  ['HTTP/1.1 without Host', `GET /?${K} HTTP/1.1\r\nX-Thing: x\r\n\r\n`, 400],
];

export const SMUGGLED = `GET /smuggled?user_key=${USER_KEY} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`;
const post = head(`/front?user_key=${USER_KEY}`, 'POST');

/** [what, raw bytes, status]. Each carries SMUGGLED where a second parser could see a request. */
export const SMUGGLING_SHAPES: [string, string, number][] = [
  [
    'Content-Length and Transfer-Encoding together',
    `${post}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
    400,
  ],
  ['Transfer-Encoding then Content-Length', `${post}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['two different Content-Lengths', `${post}Content-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`, 400],
  ['a Content-Length list', `${post}Content-Length: 0, ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`, 400],
  ['a signed Content-Length', `${post}Content-Length: +0\r\n\r\n${SMUGGLED}`, 400],
  ['a Content-Length with letters', `${post}Content-Length: 0x10\r\n\r\n${SMUGGLED}`, 400],
  ['a chunk size that is not hex', `${post}Transfer-Encoding: chunked\r\n\r\nzz\r\n${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['a negative chunk size', `${post}Transfer-Encoding: chunked\r\n\r\n-1\r\n${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['an overflowing chunk size', `${post}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['a chunk without its CRLF', `${post}Transfer-Encoding: chunked\r\n\r\n3\r\nabcX${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['chunked not last in Transfer-Encoding', `${post}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['an obfuscated Transfer-Encoding name', `${post}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
];
