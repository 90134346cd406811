// Redis URL grammar of the README ("Redis URLs"): redis[s]://[userinfo@]host[:port][/db] (rediss: TLS) and
// redis+sentinel://[[user]:password@]host1:port1[,hostN:portN]/<master-name>[/db]. Returns a reason, or
// undefined when valid. Reasons never contain the URL (it may carry a password).

const HOST = String.raw`(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)`;
const PORT = String.raw`(?::(\d{1,5}))`;
const PLAIN = new RegExp(String.raw`^rediss?://(?:([^@/]*)@)?(${HOST})${PORT}?(?:/(\d*))?$`);
const SENTINEL = new RegExp(String.raw`^redis\+sentinel://(?:([^@/]*)@)?((?:${HOST}:\d{1,5})(?:,${HOST}:\d{1,5})*)/([^/]+)(?:/(\d*))?$`);
const SENTINEL_HOST = new RegExp(String.raw`^(?:rediss?://)?(?:([^@/]*)@)?(${HOST}):(\d{1,5})$`);

function portProblem(port: string | undefined): string | undefined {
  if (port === undefined) return undefined;
  const n = Number(port);
  return n >= 1 && n <= 65535 ? undefined : 'port out of range 1-65535';
}

function dbProblem(db: string | undefined): string | undefined {
  if (db === undefined || db === '') return undefined;
  return Number(db) <= 15 ? undefined : 'database index above 15';
}

export function redisUrlProblem(url: string): string | undefined {
  if (url === '') return 'empty';
  const plain = PLAIN.exec(url);
  if (plain) return portProblem(plain[3]) ?? dbProblem(plain[4]);
  const sentinel = SENTINEL.exec(url);
  if (sentinel) {
    for (const hostPort of (sentinel.at(2) ?? '').split(',')) {
      const problem = portProblem(hostPort.slice(hostPort.lastIndexOf(':') + 1));
      if (problem) return problem;
    }
    return dbProblem(sentinel[4]);
  }
  if (!/^(rediss?|redis\+sentinel):\/\//.test(url)) return 'scheme must be redis://, rediss:// or redis+sentinel://';
  return 'not a Redis URL (redis[s]://[userinfo@]host[:port][/db])';
}

/** `*SENTINEL_HOSTS`: empty, or a comma list of `[redis[s]://][[user]:password@]host:port`. */
export function sentinelHostsProblem(hosts: string): string | undefined {
  if (hosts.trim() === '') return undefined;
  for (const entry of hosts.split(',')) {
    const match = SENTINEL_HOST.exec(entry.trim());
    if (!match) return 'entry is not [redis[s]://][[user]:password@]host:port';
    const problem = portProblem(match[3]);
    if (problem) return problem;
  }
  return undefined;
}

export function sentinelRoleProblem(role: string): string | undefined {
  return role === '' || role === 'master' || role === 'slave' ? undefined : 'must be empty, master or slave';
}
