// Which destination a job writes, as one-writer-at-a-time leases and page workflow ids key it, and as messages name
// it: the output dir, or a table of a database (its host, port and database: two users writing one table are still one
// destination). Pure, so workflow code (Temporal's sandbox) can key its children on it too.
import type { Destination } from './config';

/** The job names its database as postgresql://user@host:port/database (destinationFromFlags fills in the defaults). */
const USER_PART = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?/i;

export function destinationKey(outputDir: string, destination: Destination): string {
  if (destination.type === 'local') return outputDir;
  return `${destination.database.replace(USER_PART, 'postgres://')}#${destination.table}`;
}

export function describeDestination(outputDir: string, destination: Destination): string {
  return destination.type === 'local' ? outputDir : `table ${destination.table} in ${destination.database}`;
}
