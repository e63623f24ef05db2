// Which destination a job writes, as one-writer-at-a-time leases key it and messages name it: the output dir, or a
// table of a database (its host, port and database: two users writing one table are still one destination).
import type { Destination } from './config';
import { postgresTarget } from '../core/postgresErrors';

export function destinationKey(outputDir: string, destination: Destination): string {
  if (destination.type === 'local') return outputDir;
  const { host, port, database } = postgresTarget(destination.database, 'destination');
  return `postgres://${host}:${port}/${database}#${destination.table}`;
}

export function describeDestination(outputDir: string, destination: Destination): string {
  return destination.type === 'local'
    ? outputDir
    : `table ${destination.table} in ${postgresTarget(destination.database, 'destination').display}`;
}
