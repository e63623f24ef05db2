// The options of `explain` and of `status --explain`: which output, and, for --ask-site, the site and how to sign in to
// it and the label filters, as `confluence` declares them (the same flags, env vars and --*-file twins).
import { CREDENTIAL_OPTIONS, EXTRACT_OPTIONS } from './confluence';
import { SELECTION_OPTIONS, SITE_OPTIONS } from './site';
import type { FlagsOf } from './spec';
import { CHECKPOINT_OPTIONS } from './temporal';

/** What only --ask-site uses (--url also names the site of the checkpoint's records). */
export const ASK_SITE_OPTIONS = {
  username: SITE_OPTIONS.username,
  auth: SITE_OPTIONS.auth,
  cloud: SELECTION_OPTIONS.cloud,
  ...CREDENTIAL_OPTIONS,
  labels: SELECTION_OPTIONS.labels,
  excludeLabels: SELECTION_OPTIONS.excludeLabels,
} as const;

export const EXPLAIN_OPTIONS = {
  outputDir: EXTRACT_OPTIONS.outputDir,
  checkpointUrl: CHECKPOINT_OPTIONS.checkpointUrl,
  url: { ...SITE_OPTIONS.url, shownDefault: 'the one the last report names' },
  askSite: {
    flags: '--ask-site',
    help: 'also ask the site, signed in as the ingest is, what the account sees of the page now',
  },
  ...ASK_SITE_OPTIONS,
} as const;

export type ExplainFlags = FlagsOf<typeof EXPLAIN_OPTIONS>;
