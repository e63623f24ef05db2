// Quota headers: Atlassian's points-based limits (Beta-RateLimit-Policy / Beta-RateLimit while in beta, RateLimit-*
// once enforced, X-Beta-RateLimit-* beside them) and the IETF RateLimit drafts they follow. One reader for all, since
// the same site may send several at once and each names its own quota.

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface Budget {
  /** The quota's name ("global-app-quota"), or the header family that reported it. */
  policy: string;
  /** Units (points or requests) per window. */
  limit?: number;
  windowSeconds?: number;
  /** Units left; absent: the server says the client is well within the quota. */
  remaining?: number;
  /** When the quota is restored, in ms from now. */
  resetMs?: number;
}

interface Member {
  item: string;
  params: Map<string, string>;
}

/** Every quota the answer reports; a quota named in both a Beta- and an enforced header counts once (enforced). */
export function readBudgets(headers: HeaderBag, now = Date.now()): Budget[] {
  const byName = new Map<string, Budget>();
  for (const prefix of ['beta-', '']) {
    for (const b of structured(headers, prefix)) byName.set(b.policy, { ...byName.get(b.policy), ...b });
  }
  const legacy = legacyBeta(headers, now);
  if (legacy) byName.set(legacy.policy, legacy);
  return [...byName.values()];
}

/** `RateLimit-Policy: "name";q=100;w=60` with `RateLimit: "name";r=50;t=30` (also the older `100;w=60`). */
function structured(headers: HeaderBag, prefix: string): Budget[] {
  const budgets = new Map<string, Budget>();
  const get = (name: string) => budgets.get(name) ?? budgets.set(name, { policy: name }).get(name)!;
  for (const m of members(all(headers, `${prefix}ratelimit-policy`))) {
    const quoted = unquote(m.item);
    const b = get(quoted ?? 'default');
    b.limit = number(m.params.get('q')) ?? (quoted === undefined ? number(m.item) : undefined);
    b.windowSeconds = number(m.params.get('w'));
  }
  const rate = members(all(headers, `${prefix}ratelimit`));
  const dictionary = rate.filter((m) => m.item.includes('='));
  if (dictionary.length > 0) Object.assign(get('default'), draftDictionary(dictionary));
  for (const m of rate.filter((x) => !x.item.includes('='))) {
    const b = get(unquote(m.item) ?? 'default');
    b.remaining = number(m.params.get('r'));
    const t = number(m.params.get('t'));
    if (t !== undefined) b.resetMs = t * 1000;
  }
  return [...budgets.values()];
}

/** Draft 7's single header: `RateLimit: limit=100, remaining=50, reset=30`. */
function draftDictionary(entries: Member[]): Partial<Budget> {
  const value = (key: string) => number(entries.find((m) => m.item.split('=')[0].trim() === key)?.item.split('=')[1]);
  const reset = value('reset');
  return {
    limit: value('limit'),
    remaining: value('remaining'),
    resetMs: reset === undefined ? undefined : reset * 1000,
  };
}

/** X-Beta-RateLimit-Limit / -Remaining / -Reset (an ISO 8601 time): the beta twins of X-RateLimit-*. */
function legacyBeta(headers: HeaderBag, now: number): Budget | undefined {
  const remaining = number(all(headers, 'x-beta-ratelimit-remaining')[0]);
  if (remaining === undefined) return undefined;
  const resetAt = Date.parse(all(headers, 'x-beta-ratelimit-reset')[0] ?? '');
  return {
    policy: 'x-beta-ratelimit',
    limit: number(all(headers, 'x-beta-ratelimit-limit')[0]),
    remaining,
    resetMs: Number.isNaN(resetAt) ? undefined : Math.max(0, resetAt - now),
  };
}

function all(headers: HeaderBag, name: string): string[] {
  const v = headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A structured-field list: members split on commas outside quotes, each an item followed by `;key=value`. */
function members(values: string[]): Member[] {
  const out: Member[] = [];
  for (const value of values) {
    for (const raw of splitOutsideQuotes(value, ',')) {
      const [item, ...params] = splitOutsideQuotes(raw, ';').map((s) => s.trim());
      if (!item) continue;
      const map = new Map<string, string>();
      for (const p of params) {
        const at = p.indexOf('=');
        if (at > 0) map.set(p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim());
      }
      out.push({ item, params: map });
    }
  }
  return out;
}

function splitOutsideQuotes(s: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"' && s[i - 1] !== '\\') quoted = !quoted;
    else if (s[i] === separator && !quoted) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function unquote(item: string): string | undefined {
  return item.length >= 2 && item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1) : undefined;
}

function number(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
