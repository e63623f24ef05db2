// The S3 destination's flags: a job names bucket, prefix and endpoint, never credentials; every mistake is one line
// naming the flag and its fix, before anything starts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/configError';
import { type DestinationFlags, DestinationSchema, destinationFromFlags } from '../../src/destinations/config';
import { describeDestination, destinationKey } from '../../src/destinations/identity';

const s3 = (flags: Omit<DestinationFlags, 'destination'>) => destinationFromFlags({ destination: 's3', ...flags });

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('--destination s3', () => {
  it('names the bucket and prefix, and a compatible store by endpoint, region and addressing', () => {
    expect(s3({ s3Url: 's3://rag-bucket/confluence/prod' }).destination).toEqual({
      type: 's3',
      url: 's3://rag-bucket/confluence/prod',
      pathStyle: false,
    });
    const minio = s3({ s3Url: 's3://rag', s3Endpoint: 'http://minio:9000', s3Region: 'eu-west-1', s3PathStyle: true });
    expect(minio.destination).toEqual({
      type: 's3',
      url: 's3://rag',
      endpoint: 'http://minio:9000',
      region: 'eu-west-1',
      pathStyle: true,
    });
    expect(DestinationSchema.parse(minio.destination)).toEqual(minio.destination);
  });

  it('keys and names the destination by bucket, prefix and endpoint', () => {
    const at = (url: string, endpoint?: string) => ({ type: 's3' as const, url, endpoint, pathStyle: false });
    expect(destinationKey('/out', at('s3://b/p/'))).toBe(destinationKey('/elsewhere', at('s3://b/p')));
    expect(destinationKey('/out', at('s3://b/p'))).not.toBe(destinationKey('/out', at('s3://b/q')));
    expect(destinationKey('/out', at('s3://b/p'))).not.toBe(
      destinationKey('/out', at('s3://b/p', 'http://minio:9000')),
    );
    expect(describeDestination('/out', at('s3://b/p', 'http://minio:9000'))).toBe('s3://b/p at http://minio:9000');
  });

  it.each([
    [{}, /^--destination s3 needs the bucket: give --s3-url s3:\/\/bucket\/prefix/],
    [{ s3Url: 'https://rag.s3.amazonaws.com/x' }, /^--s3-url must be s3:\/\/bucket\/prefix/],
    [{ s3Url: 's3://UPPER/x' }, /^--s3-url must be s3:\/\/bucket\/prefix/],
    [{ s3Url: 's3://rag/a/../b' }, /^--s3-url must not hold empty, "\." or "\.\." parts/],
    [{ s3Url: 's3://rag/a//b' }, /^--s3-url must not hold empty/],
    [{ s3Url: 's3://rag', s3Endpoint: 'minio:9000' }, /^--s3-endpoint must be an http\(s\):\/\/ URL/],
    [{ s3Url: 's3://rag', s3Endpoint: 'http://key:secret@minio:9000' }, /^--s3-endpoint must not hold credentials/],
    [{ s3Url: 's3://rag', s3Region: 'EU West' }, /^--s3-region must be a region name such as eu-west-1/],
  ])('refuses %j in one line naming the flag', (flags, message) => {
    expect(refusal(() => s3(flags))).toMatch(message);
  });

  it('refuses --s3-* flags without --destination s3, and --table with it', () => {
    expect(refusal(() => destinationFromFlags({ s3Url: 's3://rag' }))).toBe(
      '--s3-url is for --destination s3; add it, or leave --s3-url out',
    );
    expect(refusal(() => destinationFromFlags({ destination: 'postgres', s3PathStyle: true }))).toMatch(
      /^--s3-path-style is for --destination s3/,
    );
    expect(refusal(() => s3({ s3Url: 's3://rag', table: 'elements' }))).toMatch(
      /^--table is for --destination postgres/,
    );
  });
});
