// The published JSON Schema accepts what the workflow accepts and rejects what it rejects.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addOpsCommands } from '../../src/cli/ops';
import { ingestFromFlags } from '../../src/cli/flags';
import { IngestInputSchema } from '../../src/pipeline/config';
import { ingestInputJsonSchema, ingestInputJsonSchemaText } from '../../src/cli/schema';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(ingestInputJsonSchema());

const site = { url: 'https://example.atlassian.net', cloud: true, auth: 'api-token', username: 'me@example.com' };

const valid: Record<string, unknown>[] = [
  { site: { url: 'https://confluence.example.com/confluence', auth: 'pat' } },
  {
    site,
    selection: { spaces: ['ENG', 'OPS'], maxNumOfSpaces: 2, maxNumOfDocsFromEachSpace: 50 },
    outputDir: '/data/out',
    workDir: '/data/work',
    maxInFlight: 8,
    pageSize: 250,
    reprocess: true,
    deleteMissing: false,
  },
];

const invalid: [string, unknown][] = [
  ['no site', {}],
  ['site URL not a URL', { site: { ...site, url: 'example' } }],
  ['unknown auth mode', { site: { ...site, auth: 'kerberos' } }],
  ['page size over 250', { site, pageSize: 251 }],
  ['zero in flight', { site, maxInFlight: 0 }],
  ['fractional limit', { site, selection: { maxNumOfSpaces: 1.5 } }],
  ['empty space key', { site, selection: { spaces: [''] } }],
  ['empty output dir', { site, outputDir: '' }],
  ['not an object', 'ENG'],
];

describe('durable-ingest schema', () => {
  it('is a 2020-12 JSON Schema that names the workflow', () => {
    const schema = JSON.parse(ingestInputJsonSchemaText());
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toMatch(/confluenceIngestWorkflow/);
    expect(schema.required).toEqual(['site']);
  });

  it('is what `durable-ingest schema` prints', async () => {
    let printed = '';
    const program = addOpsCommands(new Command('durable-ingest'), {
      out: (t) => (printed += t),
      err: (t) => expect.fail(t),
      fail: () => expect.fail('schema failed'),
      stopSignal: () => Promise.resolve(),
    });
    await program.parseAsync(['schema'], { from: 'user' });
    expect(JSON.parse(printed)).toEqual(ingestInputJsonSchema());
  });

  it('accepts sample inputs the workflow accepts, and what the CLI builds', () => {
    const fromCli = ingestFromFlags({
      url: site.url,
      username: site.username,
      apiToken: 't',
      cloud: true,
      outputDir: 'out',
      workDir: 'work',
    }).input;
    for (const input of [...valid, fromCli]) {
      expect(IngestInputSchema.safeParse(input).success).toBe(true);
      expect(validate(input), ajv.errorsText(validate.errors)).toBe(true);
    }
  });

  it.each(invalid)('rejects %s, as the workflow does', (_name, input) => {
    expect(IngestInputSchema.safeParse(input).success).toBe(false);
    expect(validate(input)).toBe(false);
  });
});
