// Simulator options: one zod schema so the CLI, tests and benchmarks share defaults and validation.
import { z } from 'zod';
import { FaultOptionsSchema } from './faults/options';

const CredentialsSchema = z
  .object({
    username: z.string().min(1),
    apiToken: z.string().min(1),
    password: z.string().min(1),
    pat: z.string().min(1),
    oauthToken: z.string().min(1),
    scopedApiToken: z.string().min(1),
  })
  .partial();

export const SimulatorOptionsSchema = z
  .object({
    seed: z.number().int().default(1),
    spaces: z.number().int().min(1).max(1000).default(3),
    pagesPerSpace: z.number().int().min(1).max(200_000).default(40),
    mode: z.enum(['cloud', 'dc']).default('cloud'),
    /**
     * Data Center version, major.minor: before 9.1 `GET /rest/api/space/{key}/permissions` does not exist (404) and space
     * grants are read from `GET /rest/api/space/{key}?expand=permissions`. Ignored in Cloud mode.
     */
    dcVersion: z
      .string()
      .regex(/^\d+\.\d+$/, 'dcVersion must be major.minor, e.g. "8.5" or "9.2"')
      .default('9.2'),
    /** Data Center context path: '' (served at the root) or '/name'. */
    contextPath: z
      .string()
      .regex(/^(\/[A-Za-z0-9._-]+)?$/, 'contextPath must be "" or "/name", e.g. "/confluence"')
      .default('/confluence'),
    host: z.string().default('127.0.0.1'),
    /** 0 = any free port. */
    port: z.number().int().min(0).max(65535).default(0),
    /** Number of users, the first being the one whose credentials are printed. */
    users: z.number().int().min(1).max(500).default(6),
    /** Overrides for the first user's credentials. */
    credentials: CredentialsSchema.default({}),
    blogpostsPerSpace: z.number().int().min(0).max(100_000).default(0),
    /** Archived pages per space, on top of pagesPerSpace (v2 lists return current+archived unless told otherwise). */
    archivedPerSpace: z.number().int().min(0).max(100_000).default(0),
    /** Personal spaces (key ~accountId on Cloud, ~username on Data Center) of the users after the first. */
    personalSpaces: z.number().int().min(0).max(500).default(0),
    /** 'restricted': spaces readable by some groups only and read/update restrictions at several levels of the trees. */
    permissions: z.enum(['open', 'restricted']).default('open'),
    /** Largest limit REST v1 lists honour; larger requests are cut silently, as Confluence does. */
    v1MaxLimit: z.number().int().min(1).max(1000).default(100),
    /**
     * Data Center's offset `next` links are unreliable (CONFSERVER-95272): present on the last full page, built from the
     * requested limit.
     */
    dcUnreliableNext: z.boolean().default(true),
    /**
     * CQL search is eventually consistent: an edit (or a new page) shows up in search this long after it is made; until
     * then search serves the page as it was last indexed. 0: at once.
     */
    searchLagMs: z.number().int().min(0).default(0),
    /**
     * Some pages show another page through Include Page or Excerpt Include (rendered in body.view with the reader's
     * rights) and link another page's attachment.
     */
    includes: z.boolean().default(false),
    /** Cloud folders per space, at the top or under a page, holding some of its pages. */
    foldersPerSpace: z.number().int().min(0).max(1000).default(0),
    /** Cloud whiteboards, databases and Smart Links (embeds) per space, in turn, in its content tree. */
    treeItemsPerSpace: z.number().int().min(0).max(1000).default(0),
    /** Cloud live docs per space: pages with v2 `subtype: "live"`. */
    liveDocsPerSpace: z.number().int().min(0).max(100_000).default(0),
    /** Cloud: the first n spaces use role-based access (space roles) instead of space permissions. */
    roleModeSpaces: z.number().int().min(0).max(1000).default(0),
    /**
     * Cloud: the v1 reads Atlassian removed (content, space, child lists, labels) answer 410 Gone, as on a current site;
     * off by default because the simulator's own tests read v1 shapes through them.
     */
    v1Removed: z.boolean().default(false),
    /** Cloud id for the OAuth gateway path; generated from the seed when absent. */
    cloudId: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
    faults: FaultOptionsSchema.prefault({}),
  })
  .superRefine((options, ctx) => {
    if (options.mode !== 'dc') return;
    for (const field of ['foldersPerSpace', 'treeItemsPerSpace', 'liveDocsPerSpace', 'roleModeSpaces'] as const) {
      if (options[field] > 0) ctx.addIssue({ code: 'custom', path: [field], message: `${field} exists on Cloud only` });
    }
  });

export type SimulatorOptionsInput = z.input<typeof SimulatorOptionsSchema>;
export type SimulatorOptions = z.output<typeof SimulatorOptionsSchema>;

/** Data Center 9.1 added `GET /rest/api/space/{key}/permissions`. */
export function hasSpacePermissionsEndpoint(dcVersion: string): boolean {
  const [major, minor] = dcVersion.split('.').map(Number);
  return major > 9 || (major === 9 && minor >= 1);
}

/** Parse options with a one-line error naming the bad field. */
export function parseSimulatorOptions(input: SimulatorOptionsInput = {}): SimulatorOptions {
  const parsed = SimulatorOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`Invalid simulator option ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
