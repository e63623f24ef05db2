// The S3 destination's check before an in-process ingest starts: this process's credentials (the worker's, here)
// reach the bucket and may write and delete under the prefix; a refusal is the one line a user reads, exit code 2.
import { ConfigError } from '../core/configError';
import { StoreError } from '../core/storeError';
import { S3Bucket } from '../destinations/s3/bucket';
import type { IngestInput } from '../pipeline/config';

export async function checkS3Destination(input: IngestInput): Promise<void> {
  if (input.destination.type !== 's3') return;
  const bucket = new S3Bucket(input.destination);
  try {
    await bucket.check();
  } catch (err) {
    throw err instanceof StoreError ? new ConfigError(err.message) : err;
  } finally {
    bucket.close();
  }
}
