// docker-compose.yml and the Dockerfile: the wiring we rely on (services, ports, addresses, secrets, commands the image
// really has) checked from the parsed YAML. The file loaded as Docker Compose loads it, and what scaling the worker
// relies on: compose-check.test.ts; the checkpoint-db one-shot's script: compose-checkpoint-db.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main';
import { addOpsCommands } from '../../src/cli/ops';
import { ENCRYPTION_KEY_FILE_ENV } from '../../src/temporal/dataConverter';

const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required?: boolean }[];
  depends_on?: string[] | Record<string, { condition: string }>;
  ports?: string[];
  secrets?: string[];
  volumes?: string[];
}

interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file: string }>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as Compose;
const { services } = compose;

/** host port -> container port of a "127.0.0.1:8080:8080" or "8080:8080" mapping. */
function published(service: Service): Map<number, number> {
  return new Map(
    (service.ports ?? []).map((p) => {
      const parts = p.split(':');
      return [Number(parts[parts.length - 2]), Number(parts[parts.length - 1])];
    }),
  );
}

function optionValue(command: string[], name: string): string | undefined {
  const at = command.indexOf(name);
  return at >= 0 ? command[at + 1] : undefined;
}

describe('docker-compose.yml', () => {
  it('has PostgreSQL with pgvector, Temporal on PostgreSQL, the UI, the codec server, the checkpoint-db one-shot and the worker', () => {
    expect(Object.keys(services).sort()).toEqual([
      'checkpoint-db',
      'codec-server',
      'postgresql',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    expect(services.postgresql.image).toMatch(/^pgvector\/pgvector:\d+\.\d+\.\d+-pg\d+$/);
    expect(services['checkpoint-db'].image).toBe(services.postgresql.image);
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(services.temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgresql',
      DB_PORT: '5432',
    });
    expect(services.temporal.environment!.POSTGRES_PWD).toBe(services.postgresql.environment!.POSTGRES_PASSWORD);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    for (const name of ['worker', 'codec-server']) expect(services[name].build, name).toBe('.');
    expect(existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('depends only on services, secrets and volumes it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
      for (const secret of service.secrets ?? [])
        expect(Object.keys(compose.secrets ?? {}), `${name} secret ${secret}`).toContain(secret);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(existsSync(path.join(ROOT, source)), `${name} mounts ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes ?? {}), `${name} volume ${volume}`).toContain(source);
      }
    }
  });

  it('points the UI at Temporal and, from the browser, at the codec server, which allows the UI origin', () => {
    const ui = services['temporal-ui'];
    const codec = services['codec-server'];
    expect(ui.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    const uiHostPort = [...published(ui).keys()][0];
    const endpoint = new URL(ui.environment!.TEMPORAL_CODEC_ENDPOINT);
    expect(endpoint.hostname).toBe('localhost');
    const codecContainerPort = published(codec).get(Number(endpoint.port));
    expect(codecContainerPort, 'the codec endpoint port is published by codec-server').toBeDefined();
    expect(Number(optionValue(codec.command!, '--port'))).toBe(codecContainerPort);
    expect(optionValue(codec.command!, '--host')).toBe('0.0.0.0');
    expect(codec.environment!.DURABLE_INGEST_CODEC_CORS_ORIGINS.split(',')).toContain(`http://localhost:${uiHostPort}`);
  });

  it('gives the worker and the codec server the same key, as a compose secret', () => {
    for (const name of ['worker', 'codec-server']) {
      const service = services[name];
      expect(service.secrets, name).toContain('encryption-key');
      expect(service.environment![ENCRYPTION_KEY_FILE_ENV], name).toBe('/run/secrets/encryption-key');
    }
    expect(services.worker.secrets).toEqual(['encryption-key']);
    expect(compose.secrets!['encryption-key'].file).toBe('./secrets/encryption-key');
  });

  it('has the codec server, which listens beyond loopback in its container, require a header from a secret', () => {
    const codec = services['codec-server'];
    expect(codec.secrets).toEqual(['encryption-key', 'codec-auth']);
    expect(optionValue(codec.command!, '--auth-header-file')).toBe('/run/secrets/codec-auth');
    expect(codec.command).not.toContain('--auth-header');
    expect(compose.secrets!['codec-auth'].file).toBe('./secrets/codec-auth');
  });

  it('runs the worker against the Temporal service, with credentials from env files', () => {
    const worker = services.worker;
    expect(worker.command).toEqual(['worker', '--work-dir', '/tmp/durable-ingest-work']);
    expect(worker.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default' });
    expect(worker.env_file).toEqual([
      { path: './worker.env', required: false },
      { path: './checkpoint-db.env', required: true },
    ]);
    expect(services['checkpoint-db'].env_file).toEqual([{ path: './checkpoint-db.env', required: true }]);
    expect(Object.keys(worker.environment!).filter((k) => /TOKEN|PASSWORD|API_KEY/.test(k))).toEqual([]);
    expect(new URL(worker.environment!.DURABLE_INGEST_CHECKPOINT_URL).password).toBe('');
  });

  it('uses commands and options the image really has', () => {
    const program = addOpsCommands(new Command('durable-ingest'));
    const worker = buildProgram().commands.find((c) => c.name() === services.worker.command![0])!;
    for (const arg of services.worker.command!.filter((a) => a.startsWith('--')))
      expect(worker.options.map((o) => o.long)).toContain(arg);
    const codecServer = program.commands.find((c) => c.name() === 'codec-server')!;
    const flags = codecServer.options.map((o) => o.long);
    for (const arg of services['codec-server'].command!.filter((a) => a.startsWith('--'))) expect(flags).toContain(arg);
    const corsEnv = codecServer.options.find((o) => o.long === '--cors-origins')!.envVar;
    expect(Object.keys(services['codec-server'].environment!)).toContain(corsEnv);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim());

  it('builds on node:20-slim with npm ci and runs `durable-ingest worker` by default', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    expect(froms.every((f) => f === 'node:20-slim')).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/durable-ingest\.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["worker"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('copies what the CLI needs, and keeps local state and secrets out of the build context', () => {
    for (const copied of ['package.json package-lock.json', 'bin ./bin', 'src ./src'])
      expect(dockerfile).toContain(`COPY ${copied}`);
    expect(existsSync(path.join(ROOT, 'bin', 'durable-ingest.js'))).toBe(true);
    for (const kept of [
      '.git',
      'node_modules',
      '.temporal',
      '.durable-ingest',
      'structured-output',
      'secrets',
      '*.env',
    ])
      expect(ignored).toContain(kept);
    for (const needed of ['src', 'simulator', 'bin', 'package.json', 'package-lock.json'])
      expect(ignored).not.toContain(needed);
  });
});
