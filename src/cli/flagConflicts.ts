// Flags that contradict each other or do nothing: a run that quietly ignores one does something other than what was
// asked, so each is refused before anything starts, in one line naming the conflict and the fix.
import { ConfigError } from '../core/configError';
import { CHUNK_OPTIONS, type ConfluenceJobFlags, EMBED_OPTIONS, JOB_OPTIONS } from './options/confluence';
import type { SiteFlags } from './options/site';
import { list, longName } from './options/spec';

type JobFlags = SiteFlags & ConfluenceJobFlags;
type DependentKey = keyof typeof JOB_OPTIONS;

/** Flags that only mean something beside another one: `needs` names it as the user types it. */
const DEPENDENT: readonly { keys: readonly DependentKey[]; on: (flags: JobFlags) => unknown; needs: string }[] = [
  { keys: ['includeAttachments', 'forceDownload'], on: (f) => f.extractFiles, needs: '--extract-files' },
  { keys: ['apiKey'], on: (f) => f.partitionByApi, needs: '--partition-by-api' },
  {
    keys: Object.keys(EMBED_OPTIONS).filter((k) => k !== 'embeddingProvider') as DependentKey[],
    on: (f) => f.embeddingProvider,
    needs: '--embedding-provider',
  },
  {
    keys: Object.keys(CHUNK_OPTIONS).filter((k) => k !== 'chunkingStrategy') as DependentKey[],
    on: (f) => f.chunkingStrategy,
    needs: '--chunking-strategy',
  },
];

/** How the user typed it: `--no-chunk-include-orig-elements` is given when its value is false. */
function given(flags: JobFlags, key: DependentKey): boolean {
  if (JOB_OPTIONS[key].flags.startsWith('--no-')) return flags[key] === false;
  return flags[key] !== undefined && flags[key] !== false;
}

function checkSelection(flags: JobFlags): void {
  if (flags.pageIds !== undefined && (flags.cql !== undefined || flags.spaces !== undefined)) {
    const other = flags.cql !== undefined ? '--cql' : '--spaces';
    throw new ConfigError(`--page-ids and ${other} both choose the pages: give one of them`);
  }
  if (flags.spaces !== undefined && list(flags.spaces, '--spaces').length === 0) {
    throw new ConfigError(`--spaces "${flags.spaces}" names no space key: give keys such as ENG,DOCS, or leave it out`);
  }
  const excluded = new Set(list(flags.excludeLabels ?? '', '--exclude-labels').map((l) => l.toLowerCase()));
  const both = list(flags.labels ?? '', '--labels').find((l) => excluded.has(l.toLowerCase()));
  if (both !== undefined) {
    throw new ConfigError(`label "${both}" is in both --labels and --exclude-labels: keep it in one of them`);
  }
}

/** --content-types chooses what of each space is listed (Data Center has only pages to list there). */
function checkContentTypes(flags: JobFlags): void {
  const chooser = flags.pageIds !== undefined ? '--page-ids' : flags.cql !== undefined ? '--cql' : undefined;
  if (flags.contentTypes !== undefined && chooser)
    throw new ConfigError(`--content-types chooses what of each space is listed: it does nothing with ${chooser}`);
}

function checkAllowList(flags: JobFlags): void {
  for (const entry of list(flags.allowList ?? '', '--allow-list')) {
    const protocol = URL.canParse(entry) ? new URL(entry).protocol : undefined;
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new ConfigError(`--allow-list entry "${entry}" is not a URL prefix: give it as https://host/path`);
    }
  }
}

/** Throws a ConfigError on the first conflict among the flags a user typed (env fallbacks are not conflicts). */
export function checkFlagConflicts(flags: JobFlags): void {
  checkSelection(flags);
  checkContentTypes(flags);
  for (const { keys, on, needs } of DEPENDENT) {
    if (on(flags)) continue;
    const stray = keys.find((key) => given(flags, key));
    if (stray)
      throw new ConfigError(
        `${longName(JOB_OPTIONS[stray])} does nothing without ${needs}: add ${needs}, or leave it out`,
      );
  }
  checkAllowList(flags);
}
