// A response body read as JSON, telling apart a server that answered something else (its Content-Type says so: a
// login page, a proxy's error page) from a body that does not parse (cut short on the way, or a broken server), since
// the fix differs: the first is a wrong address, the second is usually transient. Callers word the error.

export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'media-type'; mediaType: string }
  | { ok: false; problem: 'malformed' };

/** With a Content-Type that does not mention JSON the body is not parsed; without one only the body decides. */
export function parseJsonBody(text: string, contentType?: string): JsonBody {
  if (contentType && !/json/i.test(contentType))
    return { ok: false, problem: 'media-type', mediaType: contentType.split(';')[0]! };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: 'malformed' };
  }
}
