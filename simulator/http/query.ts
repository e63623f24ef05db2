// Query parameters as Confluence reads them.

/** Repeated and comma-separated values alike (`spaceKey=A&spaceKey=B` or `spaceKey=A,B`). */
export function multi(query: URLSearchParams, name: string): string[] | undefined {
  const values = query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length > 0 ? values : undefined;
}
