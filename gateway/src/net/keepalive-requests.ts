/**
 * APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS as undici pool options. undici's
 * `maxRequestsPerClient` resets a connection only once its counter is past
 * the limit, i.e. it lets limit + 1 requests through; and 0 means "no
 * limit". So N requests per connection is N - 1, and 1 is no keep-alive at
 * all (`pipelining: 0`).
 */
export function keepaliveRequestOptions(requestsPerConnection: number | undefined): { maxRequestsPerClient?: number; pipelining?: number } {
  if (requestsPerConnection === undefined) return {};
  if (requestsPerConnection <= 1) return { pipelining: 0 };
  return { maxRequestsPerClient: requestsPerConnection - 1 };
}
