import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Element } from '../../src/core/elements';
import { REPORT_FILE } from '../../src/pipeline/activities/report';

/** Every file under dir, as paths relative to it. */
export function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The element JSON files an ingest wrote (not the checkpoint database or the run report beside them). */
export function outputFiles(dir: string): string[] {
  return walk(dir).filter((f) => f.endsWith('.json') && f !== REPORT_FILE);
}

/** Metadata as compared across two runs of one site: date_processed says when each ran. */
export function comparableMetadata(metadata: Element['metadata']): unknown {
  const { date_processed: _, ...dataSource } = metadata.data_source ?? {};
  return { ...metadata, data_source: dataSource };
}
