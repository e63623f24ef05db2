// Where a job's elements and its checkpoint records go, as this worker opens them once and keeps them: the output dir
// (local JSON, with the checkpoint in a SQLite file beside it or in the worker's --checkpoint-url), a PostgreSQL
// table, whose checkpoint lives in the same database so that a page's rows and its record commit in one transaction,
// an S3 bucket, whose checkpoint is where the output dir's would be (never in the bucket), in a file of its own, or an
// OpenSearch index, recorded (after the cluster acknowledged) where the local output would be, a scope per index.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { type CheckpointStore, defaultCheckpointPath, openCheckpoint } from '../../checkpoint';
import type { PgDatabases } from '../../core/pgDatabases';
import { StoreError } from '../../core/storeError';
import type { Destination, OpenSearchDestination } from '../../destinations/config';
import { destinationKey } from '../../destinations/identity';
import { localUploader } from '../../destinations/local';
import { OpenSearchIndex } from '../../destinations/opensearch/openSearchIndex';
import { PostgresTable } from '../../destinations/postgres/table';
import type { S3Destination } from '../../destinations/s3/config';
import { S3Bucket } from '../../destinations/s3/bucket';
import type { Uploader } from '../../destinations/uploader';
import { databaseUrlFor, opensearchUrlFor } from '../credentials';
import type { ActivityDeps } from './deps';

/**
 * What activities name a destination by: the job's output dir and destination (absent in runs from before destinations
 * had a type: local).
 */
export interface DestinationRef {
  outputDir: string;
  destination?: Destination;
}

export interface OpenDestination {
  uploader: Uploader;
  checkpoint: CheckpointStore;
  /** The PostgreSQL table, for the checks before an ingest starts. */
  table?: PostgresTable;
  /** The S3 bucket, for the same checks. */
  bucket?: S3Bucket;
  /** The OpenSearch index, for the same checks. */
  index?: OpenSearchIndex;
}

export type Destinations = (ref: DestinationRef) => OpenDestination;

/** The checkpoint of a table's pages: in its database, a scope per table. */
export function tableScope(table: string): string {
  return `table:${table}`;
}

function local(outputDir: string, checkpointUrl: string | undefined, databases: PgDatabases): OpenDestination {
  const checkpoint = checkpointUrl
    ? openCheckpoint(checkpointUrl, { scope: path.resolve(outputDir), databases })
    : openCheckpoint(defaultCheckpointPath(outputDir));
  return { uploader: localUploader(outputDir), checkpoint };
}

/**
 * The checkpoint of a bucket's pages: with --checkpoint-url a scope per bucket and prefix, else a SQLite file of its
 * own in the output dir, so a local ingest into the same dir never counts as the bucket's pages (nor the reverse).
 */
export function s3CheckpointLocation(outputDir: string, destination: S3Destination): { file: string; scope: string } {
  const scope = `s3:${destinationKey(outputDir, destination)}`;
  const name = `.checkpoint-s3-${createHash('sha256').update(scope).digest('hex').slice(0, 12)}.sqlite`;
  return { file: path.join(outputDir, name), scope };
}

function bucket(
  outputDir: string,
  destination: S3Destination,
  checkpointUrl: string | undefined,
  databases: PgDatabases,
): OpenDestination {
  const { file, scope } = s3CheckpointLocation(outputDir, destination);
  const checkpoint = checkpointUrl ? openCheckpoint(checkpointUrl, { scope, databases }) : openCheckpoint(file);
  const uploader = new S3Bucket(destination);
  return { uploader, checkpoint, bucket: uploader };
}

function table(url: string, name: string, databases: PgDatabases): OpenDestination {
  const uploader = new PostgresTable(url, name, { databases });
  return { uploader, checkpoint: openCheckpoint(url, { scope: tableScope(name), databases }), table: uploader };
}

/**
 * An index's checkpoint: in the worker's --checkpoint-url under a scope of its own, else a SQLite file in the output
 * dir named after the cluster and index (the local output's own checkpoint stays apart).
 */
function openSearch(
  outputDir: string,
  destination: OpenSearchDestination,
  deps: Pick<ActivityDeps, 'checkpointUrl' | 'opensearchUrl'>,
  databases: PgDatabases,
): OpenDestination {
  const index = new OpenSearchIndex(opensearchUrlFor(deps.opensearchUrl, destination), destination.index);
  const scope = `opensearch:${destination.url}#${destination.index}`;
  const file = `.checkpoint.opensearch.${createHash('sha256').update(scope).digest('hex').slice(0, 12)}.sqlite`;
  const checkpoint = deps.checkpointUrl
    ? openCheckpoint(deps.checkpointUrl, { scope, databases })
    : openCheckpoint(path.join(outputDir, file));
  return { uploader: index, checkpoint, index };
}

/** One open destination per output dir or table for the worker's life, on the worker's one pool per database. */
export function workerDestinations(
  deps: Pick<ActivityDeps, 'checkpointUrl' | 'databaseUrl' | 'opensearchUrl'>,
  databases: PgDatabases,
): Destinations {
  const open = new Map<string, OpenDestination>();
  return ({ outputDir, destination }) => {
    const key =
      destination?.type === 'postgres'
        ? JSON.stringify([destination.database, destination.table])
        : destination?.type === 's3' || destination?.type === 'opensearch'
          ? JSON.stringify([outputDir, destinationKey(outputDir, destination)])
          : outputDir;
    let found = open.get(key);
    if (!found) {
      if (destination?.type === 'postgres')
        found = table(databaseUrlFor(deps.databaseUrl, destination), destination.table, databases);
      else if (destination?.type === 's3') found = bucket(outputDir, destination, deps.checkpointUrl, databases);
      else if (destination?.type === 'opensearch') found = openSearch(outputDir, destination, deps, databases);
      else found = local(outputDir, deps.checkpointUrl, databases);
      open.set(key, found);
    }
    return found;
  };
}

/** A mistake a retry cannot fix (wrong password, a missing table) stops at once; a server restarting is retried. */
export async function storing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof StoreError && !err.transient)
      throw ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
    throw err;
  }
}
