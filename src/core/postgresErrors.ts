// Turns what the pg client and the server say into one line naming the problem and the fix, in the words of the role
// the database plays (the checkpoint's, a destination's). The password never appears: the database is described as
// postgresql://user@host:port/database, and any message passed on is scrubbed of every form the password was given in.
import { userInfo } from 'node:os';
import { type StoreRole, StoreError } from './storeError';

/** How messages name the database and the setting that points at it. */
interface RoleWords {
  /** e.g. "checkpoint database". */
  database: string;
  /** e.g. "checkpoint URL". */
  url: string;
  /** What the user's rights are about, e.g. "the checkpoint tables". */
  objects: string;
  /** How to give the user the rights it lacks. */
  grantFix: string;
}

const WORDS: Record<StoreRole, RoleWords> = {
  checkpoint: {
    database: 'checkpoint database',
    url: 'checkpoint URL',
    objects: 'the checkpoint tables',
    grantFix: 'grant it USAGE and CREATE on the schema, or open the checkpoint once as the database owner',
  },
  destination: {
    database: 'destination database',
    url: 'database URL (--database-url, DURABLE_INGEST_DATABASE_URL)',
    objects: 'the destination table',
    grantFix:
      'grant it SELECT, INSERT and DELETE on the table, and CREATE on the schema for the checkpoint tables kept beside it',
  },
};

export interface PostgresTarget {
  /** postgresql://user@host:port/database: the URL without password or query. */
  display: string;
  host: string;
  port: string;
  user: string;
  database: string;
  /** Every spelling of the password this URL carries, to scrub from messages. */
  secrets: string[];
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/**
 * Reads host, port, user and database as the pg client will (URL, then its query, then PG* env vars, then defaults);
 * a URL that cannot be read is the role's StoreError.
 */
export function postgresTarget(url: string, role: StoreRole): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      role,
      `the ${WORDS[role].url} is not a valid URL; write it as postgresql://user:password@host:5432/database ` +
        '(percent-encode special characters of the password, such as @ : / # ?)',
    );
  }
  const query = parsed.searchParams;
  const user = decode(parsed.username) || query.get('user') || process.env.PGUSER || osUser();
  const host =
    decode(parsed.hostname).replace(/^\[(.+)\]$/, '$1') || query.get('host') || process.env.PGHOST || 'localhost';
  const port = parsed.port || query.get('port') || process.env.PGPORT || '5432';
  const database = decode(parsed.pathname.slice(1)) || query.get('dbname') || process.env.PGDATABASE || user;
  const secrets = [parsed.password, decode(parsed.password), query.get('password') ?? ''].filter((s) => s.length > 0);
  return { display: `postgresql://${user}@${host}:${port}/${database}`, host, port, user, database, secrets };
}

/** Removes the password (in each spelling) and line breaks from a message. */
export function scrub(target: PostgresTarget, message: string): string {
  let clean = message;
  for (const secret of [...target.secrets].sort((a, b) => b.length - a.length)) clean = clean.split(secret).join('***');
  return clean.replace(/\s*\n\s*/g, ' ').trim();
}

const UNREACHABLE = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);
const LOST = new Set(['ECONNRESET', 'EPIPE']);

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  // Node reports a host name with several addresses as an AggregateError of the attempts.
  const inner = Array.isArray(e?.errors) ? (e.errors[0] as { code?: unknown } | undefined) : undefined;
  return typeof inner?.code === 'string' ? inner.code : undefined;
}

/** What went wrong talking to the database, as the role's StoreError; a StoreError passes through. */
export function explainPostgresError(target: PostgresTarget, err: unknown, role: StoreRole): StoreError {
  if (err instanceof StoreError) return err;
  const { message, transient } = problemOf(target, err, WORDS[role]);
  return new StoreError(role, scrub(target, message), { transient });
}

interface Problem {
  message: string;
  transient: boolean;
}

function problemOf(target: PostgresTarget, err: unknown, role: RoleWords): Problem {
  const code = codeOf(err);
  const raw = err instanceof Error ? err.message || String(code ?? err.name) : String(err);
  const reason = scrub(target, raw);
  const where = `${target.host}:${target.port}`;
  const { user, database } = target;
  const fail = (message: string, transient = false): Problem => ({ message, transient });

  if (code === 'ECONNREFUSED') {
    return fail(
      `cannot reach the ${role.database} at ${where}: connection refused; check the host and port in the ${role.url} ` +
        'and that PostgreSQL is running and accepts TCP connections there',
      true,
    );
  }
  if (code === 'ENOTFOUND') {
    return fail(
      `the ${role.database} host ${target.host} does not resolve (ENOTFOUND); fix the host name in the ${role.url}`,
    );
  }
  if (code === 'EAI_AGAIN') {
    return fail(`cannot look up the ${role.database} host ${target.host} (EAI_AGAIN); check this worker's DNS`, true);
  }
  if ((code && UNREACHABLE.has(code)) || /timeout expired|connection timeout/i.test(raw)) {
    return fail(
      `the ${role.database} at ${where} did not answer (${code ?? reason}); check the host, the port and any firewall between this worker and PostgreSQL`,
      true,
    );
  }
  if (/timeout exceeded when trying to connect/i.test(raw)) {
    return fail(
      `every connection to the ${role.database} at ${where} stayed busy too long; check the server's load (slow statements, locks) in its log`,
      true,
    );
  }
  if ((code && LOST.has(code)) || /Connection terminated/i.test(raw)) {
    return fail(
      `the connection to the ${role.database} at ${where} was lost (${reason}); if it keeps happening, check the server's log`,
      true,
    );
  }
  if (/password must be a string|no password was provided|password authentication.*no password/i.test(raw)) {
    return fail(
      `PostgreSQL at ${where} asks user "${user}" for a password and the ${role.url} has none; ` +
        `add it: postgresql://${user}:PASSWORD@${where}/${database}`,
    );
  }
  switch (code) {
    case '28P01':
      return fail(
        `PostgreSQL at ${where} rejected the password of user "${user}" (28P01); fix the password in the ${role.url} ` +
          '(percent-encode special characters such as @ : / # ?)',
      );
    case '28000':
      return fail(
        `PostgreSQL at ${where} refused user "${user}" (28000: ${reason}); check the user name in the ${role.url} and the server's pg_hba.conf`,
      );
    case '3D000':
      return fail(
        `database "${database}" does not exist on PostgreSQL at ${where} (3D000); create it (CREATE DATABASE "${database}") ` +
          `or fix the database name in the ${role.url}`,
      );
    case '42501':
      return fail(
        `user "${user}" may not create or use ${role.objects} in database "${database}" at ${where} (42501: ${reason}); ${role.grantFix}`,
      );
    case '53300':
      return fail(
        `PostgreSQL at ${where} has no connection slot left (53300); raise its max_connections or run fewer workers`,
        true,
      );
  }
  if (code && /^(57P0[1-3]|08)/.test(code)) {
    return fail(
      `PostgreSQL at ${where} is starting, stopping or unreachable (${code}: ${reason}); it will be tried again`,
      true,
    );
  }
  if (/\bSSL\b|\bTLS\b|certificate/i.test(raw)) {
    return fail(
      `SSL with the ${role.database} at ${where} failed (${reason}); set sslmode in the ${role.url} ` +
        '(?sslmode=require, or ?sslmode=disable for a server without SSL)',
    );
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    return fail(
      `the ${role.database} ${target.display} failed a statement (${code}: ${reason}); check the server's log`,
    );
  }
  return fail(
    `cannot use the ${role.database} ${target.display} (${code ? `${code}: ` : ''}${reason}); check the ${role.url} and the server`,
  );
}
