// A real S3 protocol server for a test file (or the S3 bench): moto's server, from PyPI. Nothing needs installing on
// the machine but python3: the first run installs `moto[server]` into .moto/<version> of the clone with pip, as
// src/temporal/binary.ts installs the temporal CLI, and later runs reuse it. One server per caller, on a free port of
// 127.0.0.1; its buckets live in its memory and go with stop().
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from './ports';
import { until } from './until';

export const MOTO_PACKAGE = 'moto[server]==5.2.5';
const TARGET = path.resolve(__dirname, '..', '..', '.moto', MOTO_PACKAGE.replace(/\W+/g, '-'));

/** The keys every test client signs with; moto takes any until reset-auth turns its checks on. */
export const S3_TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } as const;

export interface TestS3 {
  endpoint: string;
  /** A client of the server with the test credentials. */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  /** Refuse every request signed with keys the server's IAM does not know (the test credentials included), or not. */
  refuseUnknownKeys(refuse: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Installs moto once per clone (a half-finished install is never taken for a whole one: it lands by rename). */
function ensureMoto(): string {
  if (existsSync(path.join(TARGET, 'moto'))) return TARGET;
  const staging = `${TARGET}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.dirname(TARGET), { recursive: true });
  execFileSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', staging, MOTO_PACKAGE],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (existsSync(path.join(TARGET, 'moto'))) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, TARGET);
  return TARGET;
}

export async function startS3(): Promise<TestS3> {
  const target = ensureMoto();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, PYTHONPATH: target },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await until(
    async () => {
      if (server.exitCode !== null) throw new Error(`moto exited with ${server.exitCode}: ${log}`);
      return fetch(`${endpoint}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      );
    },
    `moto at ${endpoint}`,
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: 'testing' },
  });
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async refuseUnknownKeys(refuse) {
      const answer = await fetch(`${endpoint}/moto-api/reset-auth`, {
        method: 'POST',
        // How many requests go unchecked from now on: none, or all.
        body: refuse ? '0' : 'inf',
      });
      if (!answer.ok) throw new Error(`moto refused reset-auth: ${answer.status}`);
    },
    async stop() {
      client.destroy();
      server.kill('SIGTERM');
      await exited;
    },
  };
}
