// CQL text built from values a user or a page gave: quoted so a title or key cannot change the query.

/** A CQL string literal: `"..."` with its quotes and backslashes escaped. */
export function cqlString(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
