// Parts of the effective `system-database` URL that are baked into the MySQL/PostgreSQL DC env as literals.
// Lenient on purpose: template placeholders (`${SYSTEM_DATABASE}`) must pass through unchanged.
export interface DatabaseUrlParts {
  user: string;
  password: string;
  database: string;
}

export function parseDatabaseUrl(url: string): DatabaseUrlParts | undefined {
  const match = /^[a-z0-9+-]+:\/\/([^:@/]*)(?::([^@]*))?@[^/]+\/(.+)$/.exec(url);
  if (!match) return undefined;
  // The user and database groups always match (maybe empty); the password group is optional.
  return { user: match[1], password: match.at(2) ?? '', database: match[3] };
}
