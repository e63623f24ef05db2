// What the fault-matrix tests share: `durable-ingest confluence` run as a user runs it against the simulator, and the
// checks every fault ends with (outputs intact, one line on stderr for the cause).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { defaultCheckpointPath } from '../../src/checkpoint';
import { type CliRun, runCli } from './cli';
import { outputFiles } from './outputs';

/** The embedded ingest of the simulator's site into outputDir, scratch files in workDir. */
export function ingestCli(
  sim: RunningSimulator,
  outputDir: string,
  workDir: string,
  extra: string[] = [],
): Promise<CliRun> {
  return runCli(
    ['confluence', '--cloud', '--output-dir', outputDir, '--work-dir', workDir, '--page-size', '20', ...extra],
    {
      CONFLUENCE_URL: sim.url,
      CONFLUENCE_USERNAME: sim.credentials.username,
      CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
    },
  );
}

/** The lines a run printed on stderr (none on stdout: the progress bar shows only on a terminal). */
export function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line.trim() !== '');
}

/** Every output is a whole JSON array of elements (no truncated or half-written file), and the checkpoint is sound. */
export function expectIntactOutputs(outputDir: string): string[] {
  const files = outputFiles(outputDir);
  for (const file of files) {
    const elements: unknown = JSON.parse(readFileSync(path.join(outputDir, file), 'utf8'));
    expect(Array.isArray(elements) && elements.length > 0, file).toBe(true);
  }
  const checkpoint = new Database(defaultCheckpointPath(outputDir), { readonly: true });
  try {
    expect(checkpoint.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    checkpoint.close();
  }
  return files;
}
