// Cursors for short lists whose items have no numeric id (space roles, role assignments, role permissions): the
// position in a stable order, opaque to clients as Confluence's cursors are.
import { ApiError } from './types';

export function positionPage<T>(items: T[], raw: string | null, limit: number): { results: T[]; next?: string } {
  const start = raw === null ? 0 : decode(raw);
  const results = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    results,
    ...(more ? { next: Buffer.from(JSON.stringify({ at: start + limit })).toString('base64url') } : {}),
  };
}

function decode(raw: string): number {
  try {
    const { at } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { at: unknown };
    if (typeof at === 'number' && Number.isInteger(at) && at >= 0) return at;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'cursor is invalid');
}
