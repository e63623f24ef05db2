// Flags that say which pages an ingest takes, how it runs and how the workers sign in: shared by `confluence` and
// `schedule create`.
import { type Command, Option } from 'commander';
import { AuthModeSchema } from '../connectors/confluence/site';

/**
 * How the workers sign in to the site: all a job for a cluster needs to know of credentials (the workers hold them).
 */
export function authOption(): Option {
  return new Option(
    '--auth <mode>',
    'how the workers sign in; default: inferred from the CONFLUENCE_* secret in this env',
  ).choices(AuthModeSchema.options);
}

export function selectionOptions(command: Command): Command {
  return command
    .option('--cloud', 'the site is Confluence Cloud')
    .option('--no-cloud', 'the site is Confluence Data Center (default)')
    .option('--spaces <keys>', 'comma-separated space keys (default: all spaces)')
    .option('--max-num-of-spaces <n>', 'at most this many spaces (default 500)')
    .option('--max-num-of-docs-from-each-space <n>', 'at most this many pages per space (default 100)')
    .option('--page-ids <ids>', 'only these comma-separated page ids')
    .option('--cql <query>', 'only the results of this CQL query, e.g. "space = ENG and lastmodified > now(\'-7d\')"')
    .option('--include-blogposts', 'blog posts too, not only pages')
    .option('--include-archived', 'archived pages too')
    .option('--labels <labels>', 'only pages with any of these comma-separated labels')
    .option(
      '--exclude-labels <labels>',
      'not pages with any of these comma-separated labels, e.g. archived,draft,obsolete',
    );
}

export function runOptions(command: Command): Command {
  return command
    .option('--max-in-flight <n>', 'page workflows running at once (default 32)')
    .option('--max-requests-per-second <n>', 'request rate ceiling for the site, kept by each worker process')
    .option('--max-concurrency <n>', 'requests in flight to the site at once, per worker process (default 8)')
    .option('--batch-bodies', 'read page bodies with their permissions, up to 50 pages per CQL search (default)')
    .option('--no-batch-bodies', "read each page's body from its own endpoint (Cloud: REST v2), one request per page")
    .option('--confluence-task-queue <name>', "task queue for Confluence calls (default: the workflow's)")
    .option('--partition-task-queue <name>', 'task queue for partitioning and chunking')
    .option('--embed-task-queue <name>', 'task queue for embedding')
    .option('--page-size <n>', 'refs per listing request, 1..250 (default 100)')
    .option('--reprocess', 'ingest every page, even those the checkpoint holds at the same version')
    .option('--delete-missing', 'remove outputs of pages that are no longer in the source');
}

/** The site and which of its pages: the options every way of starting an ingest shares. */
export function siteOptions(command: Command): Command {
  return runOptions(selectionOptions(command))
    .option('--url <url>', 'site URL (env CONFLUENCE_URL)')
    .option('--username <name>', 'user name or email (env CONFLUENCE_USERNAME)')
    .addOption(authOption());
}
