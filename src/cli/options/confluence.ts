// The options only `confluence` has: the credentials this process holds, what to extract, how to partition, chunk and
// embed, and permissions. unstructured-ingest's names first, then our own.
import { CHUNKING_DEFAULTS } from '../../steps/chunk/config';
import { EXTRACT_DEFAULTS, JOB_DEFAULTS, PERMISSIONS_DEFAULTS } from '../../pipeline/config';
import { RECONNECT_WITHIN_MS } from '../../client';
import { type FlagsOf, list, port, seconds, wholeNumber } from './spec';

export const EMBEDDED_WORK_DIR = '.durable-ingest/work';

const MiB = 1024 * 1024;

export const CREDENTIAL_OPTIONS = {
  apiToken: { flags: '--api-token <token>', help: 'Cloud API token (env CONFLUENCE_API_TOKEN)', secret: true },
  password: { flags: '--password <password>', help: 'Data Center password (env CONFLUENCE_PASSWORD)', secret: true },
  token: {
    flags: '--token <pat>',
    help: 'Data Center personal access token (env CONFLUENCE_PERSONAL_ACCESS_TOKEN)',
    secret: true,
  },
  oauthToken: {
    flags: '--oauth-token <token>',
    help: 'OAuth 2.0 access token, with --cloud-id (env CONFLUENCE_OAUTH_TOKEN)',
    secret: true,
  },
  scopedToken: {
    flags: '--scoped-token',
    help: 'the --api-token has scopes: call the site through api.atlassian.com/ex/confluence/{cloud id}',
  },
  cloudId: {
    flags: '--cloud-id <id>',
    help: 'Atlassian cloud id of the site, for --oauth-token (--scoped-token reads it from <site>/_edge/tenant_info)',
  },
  // Tests point the gateway at the simulator with it.
  gatewayUrl: { flags: '--gateway-url <url>', help: 'gateway base (OAuth, scoped tokens)', hidden: true },
} as const;

export const EXTRACT_OPTIONS = {
  extractImages: { flags: '--extract-images', help: 'inline images as base64 data URLs' },
  extractFiles: {
    flags: '--extract-files',
    help: 'download files embedded in pages and ingest each as its own document',
  },
  includeAttachments: {
    flags: '--include-attachments',
    help: 'with --extract-files: every attachment of the page, not only linked ones',
  },
  includeComments: {
    flags: '--include-comments',
    help: "a page's footer and inline comments, replies included, as a document of their own: <page-id>/comments.json",
  },
  forceDownload: { flags: '--force-download', help: 're-download extracted files even when a current copy exists' },
  allowList: {
    flags: '--allow-list <urls>',
    help: 'comma-separated URL prefixes that may be fetched',
    shownDefault: 'the site',
    parse: list,
  },
  maxImageBytes: {
    flags: '--max-image-bytes <n>',
    help: 'largest image to inline',
    shownDefault: `${EXTRACT_DEFAULTS.maxImageBytes / MiB} MiB`,
    parse: wholeNumber,
  },
  downloadDir: {
    flags: '--download-dir <dir>',
    help: 'where extracted files are saved',
    shownDefault: EXTRACT_DEFAULTS.downloadDir,
  },
  outputDir: { flags: '--output-dir <dir>', help: 'where the element JSON goes', default: JOB_DEFAULTS.outputDir },
} as const;

export const PARTITION_OPTIONS = {
  partitionByApi: { flags: '--partition-by-api', help: "partition with Unstructured's API instead of locally" },
  apiKey: { flags: '--api-key <key>', help: 'Unstructured API key (env UNSTRUCTURED_API_KEY)', secret: true },
  partitionEndpoint: {
    flags: '--partition-endpoint <url>',
    help: 'Unstructured partition endpoint (env UNSTRUCTURED_API_URL)',
  },
  additionalPartitionArgs: {
    flags: '--additional-partition-args <json>',
    help: 'extra form fields for the partition endpoint, as a JSON object',
  },
  dropEmoticons: {
    flags: '--drop-emoticons',
    help: 'leave Confluence emoticons out of pages; without it each is an Image element, as Unstructured writes it',
  },
} as const;

export const CHUNK_OPTIONS = {
  chunkingStrategy: { flags: '--chunking-strategy <strategy>', help: 'basic or by_title', shownDefault: 'none' },
  chunkMaxCharacters: {
    flags: '--chunk-max-characters <n>',
    help: 'hard maximum chunk size',
    shownDefault: CHUNKING_DEFAULTS.maxCharacters,
    parse: wholeNumber,
  },
  chunkNewAfterNChars: { flags: '--chunk-new-after-n-chars <n>', help: 'soft maximum chunk size', parse: wholeNumber },
  chunkCombineTextUnderNChars: {
    flags: '--chunk-combine-text-under-n-chars <n>',
    help: 'combine small sections up to this size',
    parse: wholeNumber,
  },
  chunkOverlap: {
    flags: '--chunk-overlap <n>',
    help: 'characters of overlap between split chunks',
    shownDefault: CHUNKING_DEFAULTS.overlap,
    parse: wholeNumber,
  },
  chunkOverlapAll: { flags: '--chunk-overlap-all', help: 'overlap between all chunks, not only split ones' },
  chunkIncludeOrigElements: { flags: '--no-chunk-include-orig-elements', help: 'leave out orig_elements' },
  chunkMultipageSections: { flags: '--no-chunk-multipage-sections', help: 'start a new chunk at each page' },
} as const;

export const EMBED_OPTIONS = {
  embeddingProvider: {
    flags: '--embedding-provider <name>',
    help: 'huggingface, openai or azure-openai',
    shownDefault: 'none',
  },
  embeddingModelName: { flags: '--embedding-model-name <name>', help: 'model (or Azure deployment) name' },
  embeddingApiKey: {
    flags: '--embedding-api-key <key>',
    help: 'API key of the embedding provider (env EMBEDDING_API_KEY)',
    secret: true,
  },
  embeddingApiBase: { flags: '--embedding-api-base <url>', help: 'OpenAI-compatible server or Azure endpoint' },
  embeddingModelPath: {
    flags: '--embedding-model-path <dir>',
    help: 'huggingface: a local folder with model.onnx and tokenizer.json',
  },
} as const;

export const PERMISSION_OPTIONS = {
  maxNumMetadataPermissions: {
    flags: '--max-num-metadata-permissions <n>',
    help: 'cap on users/groups per permission list',
    shownDefault: PERMISSIONS_DEFAULTS.maxNumMetadataPermissions,
    parse: wholeNumber,
  },
  onPermissionError: {
    flags: '--on-permission-error <mode>',
    help: "fail, skip or omit, when a page's permissions cannot be read",
    shownDefault: PERMISSIONS_DEFAULTS.onError,
  },
  permissions: { flags: '--no-permissions', help: 'do not fetch permissions_data' },
} as const;

export const STEP_OPTIONS = {
  activityTimeout: {
    flags: '--activity-timeout <seconds>',
    help: 'longest one attempt of a step may take',
    shownDefault: JOB_DEFAULTS.activityTimeoutSeconds,
    parse: wholeNumber,
  },
  pageTimeout: {
    flags: '--page-timeout <seconds>',
    help: 'longest one page may take, retries included, before it is reported failed',
    shownDefault: JOB_DEFAULTS.pageTimeoutSeconds,
    parse: wholeNumber,
  },
  searchAttributes: {
    flags: '--search-attributes',
    help: 'keep DurableIngest* search attributes current (registered by the embedded server; register them on your cluster)',
    shownDefault: 'on when embedded',
  },
} as const;

/** The in-process worker's (embedded mode), and how `confluence` follows a run on a cluster. */
export const IN_PROCESS_OPTIONS = {
  workDir: {
    flags: '--work-dir <dir>',
    help: 'scratch space of the in-process worker (embedded mode)',
    default: EMBEDDED_WORK_DIR,
  },
  waitForLease: {
    flags: '--wait-for-lease',
    help: 'when another ingest is writing the output, wait for it to end instead of refusing to start',
  },
  reconnectSeconds: {
    flags: '--reconnect-seconds <s>',
    help: 'with --temporal-address: how long to wait for a server that went away',
    shownDefault: RECONNECT_WITHIN_MS / 1000,
    parse: seconds,
  },
  uiPort: {
    flags: '--ui-port <port>',
    help: 'embedded mode: serve the Temporal UI on this port while the run lasts',
    shownDefault: 'none',
    parse: port,
  },
} as const;

/** A job's options of `confluence` beside those of the site (options/site.ts): one table of its own per concern. */
export const JOB_OPTIONS = {
  ...CREDENTIAL_OPTIONS,
  ...EXTRACT_OPTIONS,
  ...PARTITION_OPTIONS,
  ...CHUNK_OPTIONS,
  ...EMBED_OPTIONS,
  ...PERMISSION_OPTIONS,
  ...STEP_OPTIONS,
} as const;

export type ConfluenceJobFlags = FlagsOf<typeof JOB_OPTIONS>;
export type InProcessFlags = FlagsOf<typeof IN_PROCESS_OPTIONS>;
