// A worker's credentials from a file, so they need not sit in its environment or on its command line.
// Errors name the file, the line or the key, never a value: the file's content is secret.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/configError';
import { assertOwnerOnly } from '../core/ownerOnly';
import type { Secrets } from '../pipeline/config';

/** JSON keys and the env-style names of the same secrets (those the worker reads from its environment). */
export const SECRET_ENV_NAMES: Record<keyof Secrets, string> = {
  apiToken: 'CONFLUENCE_API_TOKEN',
  password: 'CONFLUENCE_PASSWORD',
  token: 'CONFLUENCE_PERSONAL_ACCESS_TOKEN',
  oauthToken: 'CONFLUENCE_OAUTH_TOKEN',
  unstructuredApiKey: 'UNSTRUCTURED_API_KEY',
  embeddingApiKey: 'EMBEDDING_API_KEY',
};

const SECRET_KEYS = Object.keys(SECRET_ENV_NAMES) as (keyof Secrets)[];

const JsonSecretsSchema = z.strictObject(
  Object.fromEntries(SECRET_KEYS.map((key) => [key, z.string().min(1).optional()])) as Record<keyof Secrets, z.ZodOptional<z.ZodString>>,
);

export function loadSecretsFile(file: string): Secrets {
  assertOwnerOnly(file, 'secrets file');
  const text = readFileSync(file, 'utf8');
  const secrets = text.trimStart().startsWith('{') ? parseJson(text, file) : parseEnvStyle(text, file);
  if (Object.values(secrets).every((v) => v === undefined)) {
    throw new ConfigError(
      `secrets file ${file} holds no secret: give one of ${SECRET_KEYS.join(', ')} (JSON) or ${Object.values(SECRET_ENV_NAMES).join(', ')} (KEY=value lines)`,
    );
  }
  return secrets;
}

function parseJson(text: string, file: string): Secrets {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the mistake, which may be a secret.
    throw new ConfigError(`secrets file ${file} is not valid JSON: check its quotes, commas and braces`);
  }
  const parsed = JsonSecretsSchema.safeParse(raw);
  if (parsed.success) return dropUndefined(parsed.data);
  throw new ConfigError(`secrets file ${file}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
}

/** Only paths and zod's issue codes: zod's messages for some issues repeat the offending value. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.join(', ')}; known keys are ${SECRET_KEYS.join(', ')}`;
  const where = issue.path.join('.') || '(top level)';
  return `${where} must be ${issue.path.length ? 'a non-empty string' : 'an object of secret names to strings'}`;
}

const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** KEY=value lines (the format of docker's env_file and of dotenv): # comments, optional quotes, `export ` allowed. */
function parseEnvStyle(text: string, file: string): Secrets {
  const byEnvName = new Map(SECRET_KEYS.map((key) => [SECRET_ENV_NAMES[key], key]));
  const secrets: Secrets = {};
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = ENV_LINE.exec(trimmed);
    if (!match) throw new ConfigError(`secrets file ${file} line ${index + 1} is not KEY=value (nor JSON): fix or remove that line`);
    const key = byEnvName.get(match[1]);
    // Other settings (CONFLUENCE_URL, TEMPORAL_ADDRESS, ...) may share the file, as in a compose env_file.
    if (key) secrets[key] = unquote(match[2]);
  });
  return dropUndefined(secrets);
}

function unquote(value: string): string | undefined {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  const result = quoted ? quoted[2] : value.replace(/\s+#.*$/, '');
  return result === '' ? undefined : result;
}

function dropUndefined(secrets: Secrets): Secrets {
  return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined)) as Secrets;
}
