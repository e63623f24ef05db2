// The workflow bundle, built once per source state and kept on disk: webpack costs seconds of CPU at every worker
// start, and the sources rarely change between runs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileAtomic } from '../core/atomicWrite';

const SRC = path.resolve(__dirname, '..');
const CACHE_DIR = path.resolve(SRC, '..', 'node_modules', '.cache', 'durable-ingest');
const WORKFLOWS = path.join(SRC, 'pipeline', 'workflows');

/** Any source file may be imported by workflow code, so all of them (and the SDK version) key the cache. */
function sourceHash(): string {
  // Read once per process: the build id and the bundle's path both ask at every worker's start.
  hashed ??= hashSources();
  return hashed;
}

let hashed: string | undefined;

function hashSources(): string {
  const hash = createHash('sha256');
  hash.update(require('@temporalio/workflow/package.json').version as string);
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of files) hash.update(file).update(readFileSync(path.join(SRC, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * What workers report as their build id (Temporal's worker deployment version): the package version and the source
 * hash, so two workers share one exactly when they run the same code.
 */
export function workerBuildId(): string {
  const { version } = require(path.join(SRC, '..', 'package.json')) as { version: string };
  return `${version}-${sourceHash()}`;
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export async function workflowBundlePath(): Promise<string> {
  const codePath = path.join(CACHE_DIR, `workflows-${sourceHash()}.js`);
  if (!existsSync(codePath)) {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: silent });
    await writeFileAtomic(codePath, code);
  }
  return codePath;
}
