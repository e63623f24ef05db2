// Simulator options: one zod schema so the CLI, tests and benchmarks share defaults and validation.
import { z } from 'zod';

const CredentialsSchema = z
  .object({
    username: z.string().min(1),
    apiToken: z.string().min(1),
    password: z.string().min(1),
    pat: z.string().min(1),
  })
  .partial();

export const SimulatorOptionsSchema = z.object({
  seed: z.number().int().default(1),
  spaces: z.number().int().min(1).max(1000).default(3),
  pagesPerSpace: z.number().int().min(1).max(200_000).default(40),
  mode: z.enum(['cloud', 'dc']).default('cloud'),
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
});

export type SimulatorOptionsInput = z.input<typeof SimulatorOptionsSchema>;
export type SimulatorOptions = z.output<typeof SimulatorOptionsSchema>;

/** Parse options with a one-line error naming the bad field. */
export function parseSimulatorOptions(input: SimulatorOptionsInput = {}): SimulatorOptions {
  const parsed = SimulatorOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`Invalid simulator option ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
