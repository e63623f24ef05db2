// Which destination a job writes, as one-writer-at-a-time leases and page workflow ids key it, and as messages name
// it: the output dir, a table of a database (its host, port and database: two users writing one table are still one
// destination), a bucket and prefix of an S3 endpoint, or an index of an OpenSearch cluster. Pure, so workflow code
// (Temporal's sandbox) can key its children on it too.
import type { Destination } from './config';

/** The job names its database as postgresql://user@host:port/database (destinationFromFlags fills in the defaults). */
const USER_PART = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?/i;

export function destinationKey(outputDir: string, destination: Destination): string {
  switch (destination.type) {
    case 'local':
      return outputDir;
    case 'postgres':
      return `${destination.database.replace(USER_PART, 'postgres://')}#${destination.table}`;
    case 's3':
      return `${destination.url.replace(/\/+$/, '')}${destination.endpoint ? ` at ${destination.endpoint}` : ''}`;
    case 'opensearch':
      return `${destination.url}#${destination.index}`;
  }
}

export function describeDestination(outputDir: string, destination: Destination): string {
  switch (destination.type) {
    case 'local':
      return outputDir;
    case 'postgres':
      return `table ${destination.table} in ${destination.database}`;
    case 's3':
      return destinationKey(outputDir, destination);
    case 'opensearch':
      return `index ${destination.index} at ${destination.url}`;
  }
}
