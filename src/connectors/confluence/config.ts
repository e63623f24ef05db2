// What a job asks of the Confluence connector: which content (the index step), what to fetch besides page bodies
// (extraction), and whose permissions to attach (the download step).
import { z } from 'zod';
import { CONTENT_TYPE_CHOICES, DEFAULT_CONTENT_TYPES } from './client/types';

/** Confluence stores labels in lower case, without spaces. */
const LabelSchema = z
  .string()
  .regex(/^[^\s,A-Z]+$/, 'labels are lower case, without spaces or commas (as Confluence stores them)');

/** unstructured-ingest's limits; the CLI's help names them too. */
export const SELECTION_DEFAULTS = { maxNumOfSpaces: 500, maxNumOfDocsFromEachSpace: 100 } as const;

export const SelectionSchema = z.object({
  spaces: z.array(z.string().min(1)).default([]),
  maxNumOfSpaces: z.number().int().positive().default(SELECTION_DEFAULTS.maxNumOfSpaces),
  maxNumOfDocsFromEachSpace: z.number().int().positive().default(SELECTION_DEFAULTS.maxNumOfDocsFromEachSpace),
  /** Only these pages (spaces are then not listed). */
  pageIds: z.array(z.string().regex(/^\d+$/, 'page ids are numbers')).default([]),
  /** Only the results of this CQL query (spaces are then not listed). */
  cql: z.string().min(1).optional(),
  includeBlogposts: z.boolean().default(false),
  includeArchived: z.boolean().default(false),
  /** Only pages with any of these labels (--labels); empty: every page. */
  labels: z.array(LabelSchema).default([]),
  /** Not pages with any of these labels (--exclude-labels). */
  excludeLabels: z.array(LabelSchema).default([]),
  /**
   * What of each space to ingest (--content-types): pages, and on Cloud whiteboards, databases and embeds, each as a
   * small document of the metadata the API gives. Blog posts follow --include-blogposts.
   */
  contentTypes: z
    .array(z.enum(CONTENT_TYPE_CHOICES))
    .min(1, 'name at least one content type')
    .default([...DEFAULT_CONTENT_TYPES]),
});
export type Selection = z.infer<typeof SelectionSchema>;

export const EXTRACT_DEFAULTS = {
  maxImageBytes: 10 * 1024 * 1024,
  downloadDir: '.durable-ingest/downloads',
} as const;

/**
 * The extract step (`--extract-images`, `--extract-files`, ...): what to fetch besides the page body, and from where.
 */
export const ExtractSchema = z.object({
  images: z.boolean().default(false),
  files: z.boolean().default(false),
  /** A page's footer and inline comments, replies included, as a document of their own (`<page-id>/comments.json`). */
  comments: z.boolean().default(false),
  /** Every attachment of the page from the attachments API, not only those linked from the body. */
  includeAttachments: z.boolean().default(false),
  forceDownload: z.boolean().default(false),
  /** URL prefixes that may be fetched; the site's base URL when empty. */
  allowList: z.array(z.string().url()).default([]),
  maxImageBytes: z.number().int().positive().default(EXTRACT_DEFAULTS.maxImageBytes),
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  /** Where extracted files are saved: `<download-dir>/<SPACE>/<page-id>/<name>`. */
  downloadDir: z.string().min(1).default(EXTRACT_DEFAULTS.downloadDir),
});
export type Extract = z.infer<typeof ExtractSchema>;

export const PERMISSIONS_DEFAULTS = { maxNumMetadataPermissions: 250, onError: 'fail' } as const;

/** permissions_data on every element: who may read, update, delete the page. */
export const PermissionsSchema = z.object({
  enabled: z.boolean().default(true),
  maxNumMetadataPermissions: z.number().int().positive().default(PERMISSIONS_DEFAULTS.maxNumMetadataPermissions),
  /** fail: the page fails; skip: the page is not written; omit: written without permissions_data. */
  onError: z.enum(['fail', 'skip', 'omit']).default(PERMISSIONS_DEFAULTS.onError),
  /**
   * The run reading them (set by the ingest workflow): permission data is cached for one run, never trusted from an
   * earlier one, since a restriction, a move or a grant changes it without a new page version.
   */
  run: z.string().optional(),
});
export type Permissions = z.infer<typeof PermissionsSchema>;
