// Errors in what a user configured: always one line that names the setting and the fix. Free of imports with side
// effects, so workflow code and every config schema can use it.
import type { z } from 'zod';

export class ConfigError extends Error {}

/** All of a zod error's problems on one line, each prefixed by the path of the setting. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ');
}
