// Every failure type a step or a run can end with, each once, with what it means to the run: the CLI's exit code
// (cli/outcome.ts), which failures stop a whole run (pipeline/runStops.ts), and whether Temporal may retry it all read
// this table, so they cannot drift apart. Free of imports and side effects: workflow code reads it in the sandbox.

/** What a failure says about the run, and so how a command that ends with it exits (README, "Exit codes"). */
export type FailureMeaning =
  /** Something the user gave (a flag, a setting, credentials, a table) must change: exit 2. */
  | 'badInput'
  /** What surrounds the run (a site, a database, the disk, Temporal) stopped it: exit 3. */
  | 'environment'
  /** None of the above, most likely a bug: exit 4. */
  | 'failed';

export interface FailureType {
  meaning: FailureMeaning;
  /**
   * Temporal may try again: the same call can succeed later unchanged. For the Confluence and download types and the
   * stores, the failure itself says whether it is transient; `true` here means that it may be.
   */
  retryable: boolean;
  /**
   * No other page can escape it, so the run stops at the first: `anywhere` (listing included), or `pages` (met on a
   * page; met listing a space, it concerns that space alone).
   */
  stopsRun?: 'anywhere' | 'pages';
}

const catalogue = {
  /** The workflow input does not parse. */
  InvalidInput: { meaning: 'badInput', retryable: false },
  /** --spaces names a key the site does not show this user. */
  UnknownSpace: { meaning: 'badInput', retryable: false },
  /** A job names a site or an endpoint this worker holds no credential for. */
  NoCredentials: { meaning: 'badInput', retryable: false },
  /** A setting of the job that does not parse (permissions settings). */
  ConfigError: { meaning: 'badInput', retryable: false },
  /** An allow-list entry or download dir that cannot work. */
  ExtractConfig: { meaning: 'badInput', retryable: false },
  /** A linked file or attachment that could not be downloaded. */
  ExtractDownload: { meaning: 'environment', retryable: true },
  ConfluenceConfig: { meaning: 'badInput', retryable: false },
  /** The site rejects the credentials (401). */
  ConfluenceAuth: { meaning: 'badInput', retryable: false, stopsRun: 'anywhere' },
  /** 403 on content the account had just listed: it has lost the site (a hidden page answers 404). */
  ConfluenceForbidden: { meaning: 'badInput', retryable: false, stopsRun: 'pages' },
  ConfluenceNotFound: { meaning: 'badInput', retryable: false },
  ConfluenceBadRequest: { meaning: 'badInput', retryable: false },
  /** An answer whose shape the client does not know. */
  ConfluenceShape: { meaning: 'badInput', retryable: false },
  ConfluenceRateLimit: { meaning: 'environment', retryable: true },
  ConfluenceServer: { meaning: 'environment', retryable: true },
  ConfluenceNetwork: { meaning: 'environment', retryable: true },
  /**
   * --delete-missing would remove more of a space than --max-delete allows: pages that vanish in bulk are more often
   * hidden from the account than deleted, so nothing is deleted until a user says so.
   */
  MassDeletion: { meaning: 'environment', retryable: false, stopsRun: 'anywhere' },
  /** A write refused for want of space (core/diskFull.ts). */
  DiskFull: { meaning: 'environment', retryable: false, stopsRun: 'anywhere' },
  /** The ingest workflow's own failure when a run-stopping failure ended it; its message is the user's one line. */
  RunStopped: { meaning: 'environment', retryable: false },
  /** The checkpoint cannot be used (its database, its file, a pruned generation). */
  CheckpointError: { meaning: 'environment', retryable: true },
  /** The destination cannot take the job's output (a missing table, a wrong password, vectors of another length). */
  DestinationError: { meaning: 'badInput', retryable: true },
  /** A continued run's carried state comes from a newer build. */
  UnknownIngestStateVersion: { meaning: 'environment', retryable: false },
  /** The command was asked to stop (SIGINT, SIGTERM) and did: cli/stopSignals.ts. */
  Stopped: { meaning: 'environment', retryable: false },
  /** A workflow someone else started on the embedded server, refused by the in-process worker (runAdmission.ts). */
  ForeignRun: { meaning: 'badInput', retryable: false },
  /** A step found itself on another worker than the page's files: the page workflow starts the page again. */
  HostChanged: { meaning: 'failed', retryable: false },
  /** A step's input too large to travel to a step on another worker. */
  HandoffTooLarge: { meaning: 'failed', retryable: false },
} as const satisfies Record<string, FailureType>;

export type FailureName = keyof typeof catalogue;

export const FAILURES: Readonly<Record<FailureName, FailureType>> = catalogue;

/** Each type's name as a constant (`FAILURE.DiskFull`), so code names a type the catalogue holds. */
export const FAILURE = Object.fromEntries(Object.keys(catalogue).map((name) => [name, name])) as {
  readonly [N in FailureName]: N;
};

export function isFailureName(name: unknown): name is FailureName {
  return typeof name === 'string' && Object.hasOwn(catalogue, name);
}

/** What a failure of this type is created with: ApplicationFailure.create(failureOf(FAILURE.X, message)). */
export function failureOf(
  type: FailureName,
  message: string,
): { type: FailureName; message: string; nonRetryable: boolean } {
  return { type, message, nonRetryable: !FAILURES[type].retryable };
}

/** The types whose failure stops a whole run where it is met: on a page (`pages`), or also listing (`anywhere`). */
export function runStoppingTypes(where: 'anywhere' | 'pages'): FailureName[] {
  const stops = (type: FailureType) => type.stopsRun === 'anywhere' || (where === 'pages' && type.stopsRun === 'pages');
  return (Object.keys(catalogue) as FailureName[]).filter((name) => stops(FAILURES[name]));
}
