// A job: what one ingest reads, how, and where it writes. CLI flags (cli/flags.ts), the Temporal CLI/UI and schedules
// all give it in this shape. Nothing secret lives here: credentials are resolved by the worker (see Secrets).
import { z } from 'zod';
import {
  EXTRACT_DEFAULTS,
  ExtractSchema,
  PERMISSIONS_DEFAULTS,
  PermissionsSchema,
  SELECTION_DEFAULTS,
  SelectionSchema,
  type Extract,
  type Permissions,
  type Selection,
} from '../connectors/confluence/config';
import { SiteSchema, type ConfluenceSecrets, type Site } from '../connectors/confluence/site';
import { DestinationSchema } from '../destinations/config';
import { ChunkingConfigSchema } from '../steps/chunk/config';
import { EmbeddingConfigSchema } from '../steps/embed/config';
import { PartitionApiConfigSchema } from '../steps/partition/apiConfig';
import { PartitionOptionsSchema } from '../steps/partition/options';

export {
  EXTRACT_DEFAULTS,
  ExtractSchema,
  PERMISSIONS_DEFAULTS,
  PermissionsSchema,
  SELECTION_DEFAULTS,
  SelectionSchema,
  SiteSchema,
  type Extract,
  type Permissions,
  type Selection,
  type Site,
};

/** The task queue workers poll unless told otherwise. */
export const DEFAULT_TASK_QUEUE = 'durable-ingest';

/** The job's own defaults; the CLI's help names them too. */
export const JOB_DEFAULTS = {
  outputDir: 'structured-output',
  maxInFlight: 32,
  pageSize: 100,
  activityTimeoutSeconds: 60,
  pageTimeoutSeconds: 3600,
  maxDeletePercent: 20,
} as const;

/** Secrets: held by the worker process only, never in workflow input, activity arguments or results. */
export interface Secrets extends ConfluenceSecrets {
  unstructuredApiKey?: string;
  embeddingApiKey?: string;
}

export const IngestInputSchema = z
  .object({
    site: SiteSchema,
    selection: SelectionSchema.default(SelectionSchema.parse({})),
    /** The local destination's folder; with any destination, where the run's report goes. */
    outputDir: z.string().min(1).default(JOB_DEFAULTS.outputDir),
    /** Where elements are written: the output dir (local, the default) or a PostgreSQL table. */
    destination: DestinationSchema.default({ type: 'local' }),
    maxInFlight: z.number().int().positive().default(JOB_DEFAULTS.maxInFlight),
    /** Refs per listing call. */
    pageSize: z.number().int().min(1).max(250).default(JOB_DEFAULTS.pageSize),
    /** Ingest every selected page even when the checkpoint holds it at the same version. */
    reprocess: z.boolean().default(false),
    /**
     * Check and repair the permissions of pages already written, and nothing else: no bodies are read and no page is
     * ingested (for a frequent schedule beside a slower content run).
     */
    permissionsOnly: z.boolean().default(false),
    /** Remove the outputs of pages that disappeared from the source. */
    deleteMissing: z.boolean().default(false),
    /** The largest share of a space's recorded pages --delete-missing may remove in one run; more stops the run. */
    maxDeletePercent: z.number().min(0).max(100).default(JOB_DEFAULTS.maxDeletePercent),
    /** Longest one attempt of a step may take; also how soon work held by a crashed worker is retried elsewhere. */
    activityTimeoutSeconds: z.number().int().min(1).max(3600).default(JOB_DEFAULTS.activityTimeoutSeconds),
    /** Longest one page may take, all its steps and retries included; past it the page fails and frees its slot. */
    pageTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(JOB_DEFAULTS.pageTimeoutSeconds),
    /** Task queues for kinds of steps, so each can have its own worker pool; absent: the workflow's own queue. */
    taskQueues: z
      .object({
        confluence: z.string().min(1).optional(),
        partition: z.string().min(1).optional(),
        embed: z.string().min(1).optional(),
      })
      .default({}),
    /** Keep the DurableIngest* search attributes current (they must be registered on the cluster). */
    searchAttributes: z.boolean().default(false),
    extract: ExtractSchema.prefault({}),
    permissions: PermissionsSchema.prefault({}),
    /** Absent: partition locally. */
    partitionByApi: PartitionApiConfigSchema.optional(),
    /** Local partitioning's departures from Unstructured's output, by choice. */
    partition: PartitionOptionsSchema.prefault({}),
    /** Absent: no chunk step. */
    chunking: ChunkingConfigSchema.optional(),
    /** Absent: no embed step. */
    embedding: EmbeddingConfigSchema.optional(),
  })
  .refine((job) => !(job.partitionByApi && job.partition.dropEmoticons), {
    path: ['partition', 'dropEmoticons'],
    message:
      "--drop-emoticons applies to local partitioning, and with --partition-by-api Unstructured's API reads the pages: give one of the two",
  });
export type IngestInput = z.infer<typeof IngestInputSchema>;
