// The S3 destination as a job names it: bucket and prefix as an s3:// URL and, for S3-compatible stores (MinIO, R2,
// ...), their endpoint, region and path-style addressing. Never its credentials: the workers take them from their
// environment by the AWS SDK's usual chain (AWS_ACCESS_KEY_ID..., AWS_PROFILE, an instance or pod role).
import { z } from 'zod';
import { ConfigError } from '../../core/configError';

/** A bucket name as S3 allows it (3-63 lower-case letters, digits, dots and hyphens), then an optional prefix. */
const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;
const REGION = /^[a-z0-9-]{2,32}$/;

function endpointProblem(endpoint: string): string | undefined {
  if (!/^https?:\/\//i.test(endpoint) || !URL.canParse(endpoint)) return 'must be an http(s):// URL';
  const parsed = new URL(endpoint);
  if (parsed.username || parsed.password)
    return 'must not hold credentials (the workers take them from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)';
  return undefined;
}

function prefixProblem(url: string): string | undefined {
  const prefix = S3_URL.exec(url)?.[2] ?? '';
  return prefix.split('/').some((part, i, all) => part === '..' || part === '.' || (part === '' && i < all.length - 1))
    ? 'must not hold empty, "." or ".." parts in its prefix'
    : undefined;
}

export const S3DestinationSchema = z.object({
  type: z.literal('s3'),
  /** s3://bucket/prefix: the objects are <prefix>/<space-key>/<page-id>.html.json and beside them. */
  url: z
    .string()
    .regex(S3_URL, 'must be s3://bucket/prefix (a bucket of 3-63 lower-case letters, digits, dots, hyphens)')
    .superRefine((url, ctx) => {
      const problem = prefixProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** An S3-compatible store's URL; absent: AWS. */
  endpoint: z
    .string()
    .superRefine((url, ctx) => {
      const problem = endpointProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** Absent: the worker's AWS_REGION (or its profile's). */
  region: z.string().regex(REGION, 'must be a region name such as eu-west-1').optional(),
  /** http://endpoint/bucket/key rather than http://bucket.endpoint/key, as MinIO and most compatibles want. */
  pathStyle: z.boolean().default(false),
});
export type S3Destination = z.infer<typeof S3DestinationSchema>;

export interface S3Location {
  bucket: string;
  /** '' or a/b: no slash at either end. */
  prefix: string;
}

export function s3LocationOf(url: string): S3Location {
  const match = S3_URL.exec(url);
  if (!match) throw new ConfigError(`"${url}" is not an s3://bucket/prefix URL`);
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/\/+$/, '') };
}

/** The S3 flags of `confluence` (and `schedule create`), as commander hands them over. */
export interface S3Flags {
  s3Url?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3PathStyle?: boolean;
}

const FLAG_OF: Record<string, string> = {
  url: '--s3-url',
  endpoint: '--s3-endpoint',
  region: '--s3-region',
  pathStyle: '--s3-path-style',
};

/** The flags given of --s3-*, by name, to refuse them without --destination s3. */
export function givenS3Flags(flags: S3Flags): string[] {
  const given = { url: flags.s3Url, endpoint: flags.s3Endpoint, region: flags.s3Region, pathStyle: flags.s3PathStyle };
  return Object.entries(given)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => FLAG_OF[key]);
}

export function s3DestinationFromFlags(flags: S3Flags): S3Destination {
  if (!flags.s3Url)
    throw new ConfigError(
      '--destination s3 needs the bucket: give --s3-url s3://bucket/prefix or set DURABLE_INGEST_S3_URL',
    );
  const parsed = S3DestinationSchema.safeParse({
    type: 's3',
    url: flags.s3Url,
    endpoint: flags.s3Endpoint,
    region: flags.s3Region,
    pathStyle: Boolean(flags.s3PathStyle),
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`${FLAG_OF[String(issue.path[0])] ?? '--s3-url'} ${issue.message}`);
}
