// Which destination a job writes, as one-writer-at-a-time leases and page workflow ids key it, and as messages name
// it: the output dir, a table of a database (its host, port and database: two users writing one table are still one
// destination), or an index of a cluster. Pure, so workflow code (Temporal's sandbox) can key its children on it too.
import type { Destination } from './config';

/** The job names its database as postgresql://user@host:port/database (destinationFromFlags fills in the defaults). */
const USER_PART = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?/i;

export function destinationKey(outputDir: string, destination: Destination): string {
  if (destination.type === 'local') return outputDir;
  if (destination.type === 'opensearch') return `${destination.url}#${destination.index}`;
  return `${destination.database.replace(USER_PART, 'postgres://')}#${destination.table}`;
}

export function describeDestination(outputDir: string, destination: Destination): string {
  if (destination.type === 'opensearch') return `index ${destination.index} at ${destination.url}`;
  return destination.type === 'local' ? outputDir : `table ${destination.table} in ${destination.database}`;
}
