// `confluence` and `schedule create` flags -> a job: for a cluster only the sign-in mode is needed (the workers hold
// the
// secrets); embedded, the in-process worker gets the flags' secrets as before.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { jobFromFlags, type JobFlags } from '../../src/cli/flags';
import { siteOptions } from '../../src/cli/options/site';
import { bodiesBatched } from '../../src/connectors/confluence/site';
import { errorOf } from '../support/errors';

const base: JobFlags = {
  url: 'https://x.atlassian.net',
  cloud: true,
  username: 'me@example.com',
  outputDir: 'out',
  workDir: 'work',
};

describe('a job for a cluster', () => {
  it('takes the sign-in mode from --auth, with no secret here and none returned', () => {
    const { input, secrets } = jobFromFlags({ ...base, auth: 'api-token' }, { workersHoldSecrets: true }, {});
    expect(input.site).toMatchObject({
      url: 'https://x.atlassian.net',
      cloud: true,
      auth: 'api-token',
      username: 'me@example.com',
    });
    expect(secrets).toBeUndefined();
    expect(JSON.stringify(input)).not.toContain('held-by-workers');
  });

  it('returns the secret of the --auth mode when this process holds it (for the preflight), and only that one', () => {
    const env = { CONFLUENCE_API_TOKEN: 'tok-here', CONFLUENCE_PERSONAL_ACCESS_TOKEN: 'pat-here' };
    const { input, secrets } = jobFromFlags(
      { ...base, cloud: false, username: undefined, auth: 'pat' },
      { workersHoldSecrets: true },
      env,
    );
    expect(input.site.auth).toBe('pat');
    expect(secrets).toMatchObject({ token: 'pat-here' });
    expect(secrets?.apiToken).toBeUndefined();
  });

  it('infers the mode from a secret in the environment, as before, or asks for --auth', () => {
    expect(
      jobFromFlags(base, { workersHoldSecrets: true }, { CONFLUENCE_API_TOKEN: 'tok-here' }).secrets,
    ).toMatchObject({ apiToken: 'tok-here' });
    expect(errorOf(() => jobFromFlags(base, { workersHoldSecrets: true }, {}))).toBe(
      'say how the workers sign in: give --auth api-token|password|pat|oauth',
    );
  });

  it('partitions by API with no key here: the workers hold it', () => {
    const { input } = jobFromFlags(
      { ...base, auth: 'api-token', partitionByApi: true },
      { workersHoldSecrets: true },
      {},
    );
    expect(input.partitionByApi?.endpoint).toBe('https://api.unstructuredapp.io/general/v0/general');
  });
});

describe('a job for the embedded worker', () => {
  it('needs the secret of its mode, as before', () => {
    expect(errorOf(() => jobFromFlags({ ...base, auth: 'api-token' }, { workersHoldSecrets: false }, {}))).toMatch(
      /^--cloud needs --username with --api-token/,
    );
    expect(
      errorOf(() =>
        jobFromFlags({ ...base, partitionByApi: true }, { workersHoldSecrets: false }, { CONFLUENCE_API_TOKEN: 't' }),
      ),
    ).toMatch(/--partition-by-api needs an Unstructured API key/);
  });

  it('with --auth, uses only that mode of the secrets given', () => {
    const env = { CONFLUENCE_API_TOKEN: 'tok-here', CONFLUENCE_PERSONAL_ACCESS_TOKEN: 'pat-here' };
    const { input, secrets } = jobFromFlags(
      { ...base, cloud: false, username: undefined, auth: 'pat' },
      { workersHoldSecrets: false },
      env,
    );
    expect(input.site.auth).toBe('pat');
    expect(secrets).toMatchObject({ token: 'pat-here' });
  });
});

describe('--drop-emoticons', () => {
  const embedded = (flags: Partial<JobFlags>) =>
    jobFromFlags({ ...base, apiToken: 'tok', ...flags }, { workersHoldSecrets: false }, {});

  it('is off by default, so pages keep emoticons as Unstructured does, and on with the flag', () => {
    expect(embedded({}).input.partition).toEqual({ dropEmoticons: false });
    expect(embedded({ dropEmoticons: true }).input.partition).toEqual({ dropEmoticons: true });
  });

  it('is refused with --partition-by-api, whose pages Unstructured reads', () => {
    expect(errorOf(() => embedded({ dropEmoticons: true, partitionByApi: true, apiKey: 'k' }))).toBe(
      "invalid settings: partition.dropEmoticons: --drop-emoticons applies to local partitioning, and with --partition-by-api Unstructured's API reads the pages: give one of the two",
    );
  });
});

describe('labels and comments', () => {
  const env = { CONFLUENCE_API_TOKEN: 'tok-here' };

  it('takes --labels and --exclude-labels as lower-case lists, and --include-comments', () => {
    const flags = { ...base, labels: 'Runbook, faq', excludeLabels: 'ARCHIVED,draft', includeComments: true };
    const { input } = jobFromFlags(flags, { workersHoldSecrets: false }, env);
    expect(input.selection).toMatchObject({ labels: ['runbook', 'faq'], excludeLabels: ['archived', 'draft'] });
    expect(input.extract.comments).toBe(true);
    expect(jobFromFlags(base, { workersHoldSecrets: false }, env).input).toMatchObject({
      selection: { labels: [], excludeLabels: [] },
      extract: { comments: false },
    });
  });

  it('refuses a label Confluence could not have, in one line naming the setting', () => {
    expect(
      errorOf(() => jobFromFlags({ ...base, excludeLabels: 'meeting notes' }, { workersHoldSecrets: false }, env)),
    ).toBe(
      'invalid settings: selection.excludeLabels.0: labels are lower case, without spaces or commas (as Confluence stores them)',
    );
  });
});

describe('--batch-bodies', () => {
  /** The flags as commander reads them from a command line (the options every way of starting an ingest shares). */
  const parsed = (...args: string[]): JobFlags => {
    const command = siteOptions(new Command('confluence')).exitOverride();
    return { ...base, auth: 'api-token', ...command.parse(args, { from: 'user' }).opts<JobFlags>() };
  };
  const batchBodies = (...args: string[]) =>
    jobFromFlags(parsed(...args), { workersHoldSecrets: true }, {}).input.site.batchBodies;

  it('is on unless --no-batch-bodies turns it off', () => {
    expect([batchBodies(), batchBodies('--batch-bodies'), batchBodies('--no-batch-bodies')]).toEqual([
      undefined,
      true,
      false,
    ]);
    expect(bodiesBatched({ batchBodies: batchBodies() })).toBe(true);
  });
});
