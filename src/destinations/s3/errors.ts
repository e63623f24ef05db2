// What the S3 client's failures mean to the person who must act: one line naming the destination and the fix. A store
// that is unreachable or overloaded is transient (the step retries); a missing bucket, refused credentials or a
// refusing policy wait for a person.
import { StoreError } from '../../core/storeError';

interface S3Failure {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'TimeoutError']);

/** `where`: the destination as messages name it (s3://bucket/prefix [at endpoint]); `action`: what was refused. */
export function explainS3Error(where: string, action: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const failure = (err ?? {}) as S3Failure;
  const status = failure.$metadata?.httpStatusCode;
  // A HEAD's error has no body to name it: the SDK then calls it Unknown, or by the status alone.
  const name = failure.name && failure.name !== 'Unknown' ? failure.name : status ? `HTTP ${status}` : 'Error';
  const code = failure.code ?? name;
  const fail = (message: string, transient = false) => new StoreError('destination', message, { transient });
  if (name === 'CredentialsProviderError')
    return fail(
      `no S3 credentials for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or a role) in the worker's environment`,
    );
  if (/region is missing/i.test(failure.message ?? ''))
    return fail(`no S3 region for ${where}: give --s3-region (e.g. eu-west-1) or set AWS_REGION`);
  if (CREDENTIALS.has(name))
    return fail(
      `${where} rejected the worker's S3 credentials (${name}): fix AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in its environment`,
    );
  if (name === 'NoSuchBucket' || (name === 'NotFound' && action === 'HeadBucket'))
    return fail(`${where}: the bucket does not exist: create it, or fix --s3-url (and --s3-endpoint)`);
  if (action === 'HeadBucket' && status === 403)
    return fail(
      `${where} refused the worker's S3 credentials (${name}): fix AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in its environment, or grant them s3:ListBucket on the bucket`,
    );
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403)
    return fail(
      `${where} refused ${action} (${name}): grant the worker's credentials s3:GetObject, s3:PutObject and s3:DeleteObject on the prefix, or fix the bucket policy`,
    );
  if (NETWORK.has(code) || NETWORK.has(name))
    return fail(`cannot reach S3 for ${where} (${code}): check --s3-endpoint and that the store is up`, true);
  const transient = status === undefined || status >= 500 || status === 429 || name === 'SlowDown';
  return fail(
    `${where}: ${action} failed (${name}${status ? ` ${status}` : ''}): ${oneLine(failure.message)}`,
    transient,
  );
}

function oneLine(message: string | undefined): string {
  return (message ?? 'no message').replace(/\s+/g, ' ').trim();
}
