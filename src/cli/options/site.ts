// The site and which of its pages, and how the run goes: the options every way of starting an ingest shares
// (`confluence` and `schedule create`).
import type { Command } from 'commander';
import { DEFAULT_POOL } from '../../connectors/confluence/client/pool';
import {
  CONTENT_TYPE_CHOICES,
  type ContentTypeChoice,
  DEFAULT_CONTENT_TYPES,
} from '../../connectors/confluence/client/types';
import { AuthModeSchema } from '../../connectors/confluence/site';
import { ConfigError } from '../../core/configError';
import { JOB_DEFAULTS, SELECTION_DEFAULTS } from '../../pipeline/config';
import { type FlagsOf, list, percent, positiveNumber, wholeNumber, withOptions } from './spec';

/** A list of what --content-types may name; a folder is refused with why (the pages in it are ingested anyway). */
function contentTypes(text: string, flag: string): ContentTypeChoice[] {
  return list(text, flag).map((name) => {
    const known = CONTENT_TYPE_CHOICES.find((c) => c === name.toLowerCase());
    if (known) return known;
    const why = name.toLowerCase() === 'folder' ? 'a folder is never a document (the pages in it are ingested); ' : '';
    throw new ConfigError(`${flag} "${name}": ${why}give some of ${CONTENT_TYPE_CHOICES.join(', ')}`);
  });
}

export const SELECTION_OPTIONS = {
  cloud: {
    flags: '--cloud',
    help: 'the site is Confluence Cloud',
    negation: 'the site is Confluence Data Center (default)',
  },
  spaces: {
    flags: '--spaces <keys>',
    help: 'comma-separated space keys',
    shownDefault: 'all',
    parse: list,
  },
  maxNumOfSpaces: {
    flags: '--max-num-of-spaces <n>',
    help: 'at most this many spaces',
    shownDefault: SELECTION_DEFAULTS.maxNumOfSpaces,
    parse: wholeNumber,
  },
  maxNumOfDocsFromEachSpace: {
    flags: '--max-num-of-docs-from-each-space <n>',
    help: 'at most this many pages per space',
    shownDefault: SELECTION_DEFAULTS.maxNumOfDocsFromEachSpace,
    parse: wholeNumber,
  },
  pageIds: { flags: '--page-ids <ids>', help: 'only these comma-separated page ids', parse: list },
  cql: {
    flags: '--cql <query>',
    help: 'only the results of this CQL query, e.g. "space = ENG and lastmodified > now(\'-7d\')"',
  },
  includeBlogposts: { flags: '--include-blogposts', help: 'blog posts too, not only pages' },
  includeArchived: { flags: '--include-archived', help: 'archived pages too' },
  labels: {
    flags: '--labels <labels>',
    help: 'only pages with any of these comma-separated labels',
    shownDefault: 'all pages',
    parse: list,
  },
  excludeLabels: {
    flags: '--exclude-labels <labels>',
    help: 'not pages with any of these comma-separated labels, e.g. archived,draft,obsolete',
    shownDefault: 'none',
    parse: list,
  },
  contentTypes: {
    flags: '--content-types <types>',
    help:
      'what of each space to ingest, comma-separated: page, and on Cloud whiteboard, database, embed (each a small ' +
      'document of the metadata the API gives); what is left out is counted in the report',
    shownDefault: DEFAULT_CONTENT_TYPES.join(','),
    parse: contentTypes,
  },
} as const;

export const RUN_OPTIONS = {
  maxInFlight: {
    flags: '--max-in-flight <n>',
    help: 'page workflows running at once',
    shownDefault: JOB_DEFAULTS.maxInFlight,
    parse: wholeNumber,
  },
  maxRequestsPerSecond: {
    flags: '--max-requests-per-second <n>',
    help: 'request rate ceiling for the site: per cluster with a PostgreSQL --checkpoint-url, else per worker',
    shownDefault: 'none',
    parse: positiveNumber,
  },
  maxConcurrency: {
    flags: '--max-concurrency <n>',
    help: 'requests in flight to the site at once: per cluster with a PostgreSQL --checkpoint-url, else per worker',
    shownDefault: DEFAULT_POOL.maxConcurrency,
    parse: wholeNumber,
  },
  batchBodies: {
    flags: '--batch-bodies',
    help: 'read page bodies with their permissions, up to 50 pages per CQL search (default)',
    negation: "read each page's body from its own endpoint (Cloud: REST v2), one request per page",
  },
  confluenceTaskQueue: {
    flags: '--confluence-task-queue <name>',
    help: 'task queue for Confluence calls',
    shownDefault: "the workflow's",
  },
  partitionTaskQueue: {
    flags: '--partition-task-queue <name>',
    help: 'task queue for partitioning and chunking',
    shownDefault: "the workflow's",
  },
  embedTaskQueue: {
    flags: '--embed-task-queue <name>',
    help: 'task queue for embedding',
    shownDefault: "the workflow's",
  },
  pageSize: {
    flags: '--page-size <n>',
    help: 'refs per listing request, 1..250',
    shownDefault: JOB_DEFAULTS.pageSize,
    parse: wholeNumber,
  },
  reprocess: { flags: '--reprocess', help: 'ingest every page, even those the checkpoint holds at the same version' },
  deleteMissing: { flags: '--delete-missing', help: 'remove outputs of pages that are no longer in the source' },
  maxDelete: {
    flags: '--max-delete <percent>',
    help: "the most of a space's recorded pages --delete-missing may remove in one run; more stops the run (100% allows all)",
    shownDefault: `${JOB_DEFAULTS.maxDeletePercent}%`,
    parse: percent,
  },
  permissionsOnly: {
    flags: '--permissions-only',
    help: 'check and repair the permissions of pages already written, and read no bodies',
  },
} as const;

export const SITE_OPTIONS = {
  url: { flags: '--url <url>', help: 'site URL (env CONFLUENCE_URL)' },
  username: { flags: '--username <name>', help: 'user name or email (env CONFLUENCE_USERNAME)' },
  // All a job for a cluster needs to know of credentials: the workers hold them.
  auth: {
    flags: '--auth <mode>',
    help: 'how to sign in (with --temporal-address: how the workers do)',
    shownDefault: 'inferred from the CONFLUENCE_* secret given',
    choices: AuthModeSchema.options,
  },
} as const;

export const SITE_OPTION_TABLES = { ...SELECTION_OPTIONS, ...RUN_OPTIONS, ...SITE_OPTIONS } as const;

export type SiteFlags = FlagsOf<typeof SITE_OPTION_TABLES>;

export function siteOptions(command: Command): Command {
  return withOptions(command, SITE_OPTION_TABLES);
}
