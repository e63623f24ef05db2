// docker-compose.yml loaded by compose-go, the loader of Docker Compose v2 (tools/compose-check, built by the test from
// its pinned sources: no Docker needed), and what `docker compose up --scale worker=4` relies on, checked on the model
// the loader produced (env files read, paths resolved, defaults filled in). The YAML's wiring: compose.test.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCheckBinary } from '../support/composeCheck';

const ROOT = path.resolve(__dirname, '../..');
/** What docker-compose.yml points at (besides the files each user writes, made up below). */
const PROJECT_FILES = ['docker-compose.yml', 'Dockerfile', '.dockerignore', 'docker/checkpoint-db.sh'];
const CHECKPOINT_PASSWORD = 'from-checkpoint-db.env';

interface LoadedService {
  image?: string;
  command?: string[] | null;
  entrypoint?: string[] | null;
  container_name?: string;
  hostname?: string;
  restart?: string;
  environment?: Record<string, string | null>;
  ports?: unknown[];
  volumes?: { type: string; source?: string; target: string; read_only?: boolean }[];
  tmpfs?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  deploy?: unknown;
}

interface LoadedProject {
  services: Record<string, LoadedService>;
  volumes?: Record<string, { external?: boolean }>;
}

/** A copy of the project in a temporary folder, with made-up secrets, so no developer's own files are read. */
function projectCopy(options: { checkpointEnv?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-check-'));
  for (const file of PROJECT_FILES) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  mkdirSync(path.join(dir, 'secrets'));
  writeFileSync(path.join(dir, 'secrets', 'encryption-key'), 'x', { mode: 0o600 });
  writeFileSync(path.join(dir, 'secrets', 'codec-auth'), 'Bearer x', { mode: 0o600 });
  if (options.checkpointEnv !== false)
    writeFileSync(path.join(dir, 'checkpoint-db.env'), `PGPASSWORD=${CHECKPOINT_PASSWORD}\n`, { mode: 0o600 });
  return dir;
}

/** compose-check on a copy's docker-compose.yml, with no variables from this machine's environment. */
function check(binary: string, dir: string, args: string[] = []) {
  return spawnSync(binary, [...args, path.join(dir, 'docker-compose.yml')], {
    cwd: dir,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
}

const workDirOf = (worker: LoadedService) => {
  const command = worker.command ?? [];
  return command[command.indexOf('--work-dir') + 1];
};

describe('docker-compose.yml, loaded as Docker Compose v2 loads it (compose-go)', () => {
  let binary: string;
  let dir: string;
  let project: LoadedProject;

  beforeAll(() => {
    binary = composeCheckBinary();
    dir = projectCopy();
    const loaded = check(binary, dir, ['-json']);
    if (loaded.status !== 0) throw new Error(`compose-check: ${loaded.stderr || loaded.error}`);
    project = JSON.parse(loaded.stdout);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads cleanly', () => {
    const run = check(binary, dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`valid: ${Object.keys(project.services).length} services`);
  });

  it('does not load without checkpoint-db.env, and says which file is missing', () => {
    const bare = projectCopy({ checkpointEnv: false });
    try {
      const run = check(binary, bare);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(path.join(bare, 'checkpoint-db.env'));
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('lets the worker scale: no container name, hostname or published port, scratch space in the container, output on a shared volume', () => {
    const worker = project.services.worker;
    expect(worker.container_name).toBeUndefined();
    expect(worker.hostname).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
    const workDir = workDirOf(worker);
    expect(workDir, 'worker --work-dir').toMatch(/^\/tmp\//);
    const mounts = [...(worker.volumes ?? []).map((v) => v.target), ...(worker.tmpfs ?? [])];
    for (const target of mounts)
      expect(`${workDir}/`.startsWith(`${target.replace(/\/$/, '')}/`), `${workDir} is under the mount ${target}`).toBe(
        false,
      );
    const output = (worker.volumes ?? []).find((v) => v.target === '/data');
    expect(output, 'the output volume at /data, the image workdir').toMatchObject({
      type: 'volume',
      source: 'ingest-data',
    });
    expect(output?.read_only).toBeFalsy();
    expect(project.volumes?.['ingest-data']?.external).toBeFalsy();
  });

  it('gives the worker its checkpoint in a PostgreSQL database of its own, with the password from checkpoint-db.env', () => {
    const { worker, postgresql, temporal } = project.services;
    const checkpointDb = project.services['checkpoint-db'];
    const url = new URL(worker.environment?.DURABLE_INGEST_CHECKPOINT_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgresql');
    expect(url.hostname).toBe(temporal.environment?.POSTGRES_SEEDS);
    expect(url.port).toBe('5432');
    expect(url.password, 'no password in the URL').toBe('');
    const database = url.pathname.slice(1);
    expect(database).toBe(checkpointDb.environment?.CHECKPOINT_DB);
    expect(url.username).toBe(checkpointDb.environment?.CHECKPOINT_ROLE);
    // Not one of Temporal's databases (auto-setup's defaults), nor its superuser.
    expect(['temporal', 'temporal_visibility', 'postgres', postgresql.environment?.POSTGRES_USER]).not.toContain(
      database,
    );
    expect(url.username).not.toBe(postgresql.environment?.POSTGRES_USER);
    expect(worker.environment?.PGPASSWORD).toBe(CHECKPOINT_PASSWORD);
    expect(checkpointDb.environment?.PGPASSWORD).toBe(CHECKPOINT_PASSWORD);
    expect(checkpointDb.environment?.PGHOST).toBe('postgresql');
    expect(checkpointDb.environment?.ADMIN_PASSWORD).toBe(postgresql.environment?.POSTGRES_PASSWORD);
    expect(checkpointDb.image).toBe(postgresql.image);
  });

  it('gives the worker the PostgreSQL destination in the checkpoint database (pgvector image), its password from checkpoint-db.env', () => {
    const { worker, postgresql } = project.services;
    const destination = worker.environment?.DURABLE_INGEST_DATABASE_URL ?? '';
    expect(new URL(destination).password, 'no password in the URL').toBe('');
    expect(destination).toBe(worker.environment?.DURABLE_INGEST_CHECKPOINT_URL);
    expect(postgresql.image).toMatch(/^pgvector\/pgvector:/);
  });

  it('runs the checkpoint-db one-shot from the repository script, once per `up`', () => {
    const checkpointDb = project.services['checkpoint-db'];
    expect(checkpointDb.volumes).toEqual([
      expect.objectContaining({ type: 'bind', source: path.join(dir, 'docker', 'checkpoint-db.sh'), read_only: true }),
    ]);
    const target = checkpointDb.volumes![0].target;
    expect(checkpointDb.entrypoint).toEqual(['sh', target]);
    expect(checkpointDb.restart ?? 'no').toBe('no');
    expect(checkpointDb.ports ?? []).toEqual([]);
  });

  it('starts workers once PostgreSQL and Temporal are healthy and the checkpoint database exists', () => {
    const { worker, postgresql, temporal } = project.services;
    expect(worker.depends_on).toEqual({
      postgresql: { condition: 'service_healthy', required: true },
      temporal: { condition: 'service_healthy', required: true },
      'checkpoint-db': { condition: 'service_completed_successfully', required: true },
    });
    expect(project.services['checkpoint-db'].depends_on).toEqual({
      postgresql: { condition: 'service_healthy', required: true },
    });
    for (const [name, service] of Object.entries({ postgresql, temporal })) {
      expect(service.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(1);
      expect(service.healthcheck?.disable, name).toBeFalsy();
    }
    // Temporal is healthy once the namespace the workers poll exists.
    expect(temporal.healthcheck?.test).toEqual(
      expect.arrayContaining(['namespace', 'describe', worker.environment?.TEMPORAL_NAMESPACE]),
    );
  });
});
