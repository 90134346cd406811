/**
 * porta's pagination: `page` from 1 (anything else is 1), `per_page` 1..500
 * (anything else is 500, the default and the maximum), rows already ordered by id.
 */
export const MAX_PER_PAGE = 500;

export function paginate<T>(rows: T[], query: URLSearchParams): T[] {
  const page = positive(query.get('page')) ?? 1;
  const asked = positive(query.get('per_page'));
  const perPage = asked === undefined || asked > MAX_PER_PAGE ? MAX_PER_PAGE : asked;
  return rows.slice((page - 1) * perPage, page * perPage);
}

function positive(raw: string | null): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 ? value : undefined;
}

/** `{"<plural>":[{"<singular>":{…}}, …]}`, the list shape of every JSON endpoint. */
export function listOf(plural: string, singular: string, items: unknown[]): Record<string, unknown> {
  return { [plural]: items.map((item) => ({ [singular]: item })) };
}
