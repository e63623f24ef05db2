// A secret typed as a flag shows in `ps` to every user of the host: each has a --<name>-file twin, and typing one
// earns a warning. The program's own hook does the reading, before any command runs.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main';
import { resolveSecretFiles } from '../../src/cli/options/secretFiles';
import { withOptions } from '../../src/cli/options/spec';
import { errorOf } from '../support/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'secret-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

/** Parses `args` as a command with one secret option, as the program does; its flags and the warnings printed. */
function parse(args: string[], env: NodeJS.ProcessEnv = {}): { flags: Record<string, unknown>; warnings: string[] } {
  const saved = process.env.SECRET_FLAG_TOKEN;
  process.env.SECRET_FLAG_TOKEN = env.SECRET_FLAG_TOKEN;
  if (env.SECRET_FLAG_TOKEN === undefined) delete process.env.SECRET_FLAG_TOKEN;
  try {
    const warnings: string[] = [];
    let flags: Record<string, unknown> = {};
    const command = withOptions(new Command('c').exitOverride(), {
      token: { flags: '--token <t>', help: 'a token', env: 'SECRET_FLAG_TOKEN', secret: true },
    })
      .hook('preAction', (c) => resolveSecretFiles(c, (line) => warnings.push(line)))
      .action((opts: Record<string, unknown>) => {
        flags = opts;
      });
    command.parse(args, { from: 'user' });
    return { flags, warnings };
  } finally {
    if (saved === undefined) delete process.env.SECRET_FLAG_TOKEN;
    else process.env.SECRET_FLAG_TOKEN = saved;
  }
}

describe('a secret option', () => {
  it('reads its --<name>-file (one trailing newline dropped), with no warning', () => {
    const { flags, warnings } = parse(['--token-file', secretFile('t', 's3cret\n')]);
    expect(flags.token).toBe('s3cret');
    expect(warnings).toEqual([]);
  });

  it('warns once when typed on the command line, naming the file flag and the env var', () => {
    const { flags, warnings } = parse(['--token', 's3cret']);
    expect(flags.token).toBe('s3cret');
    expect(warnings).toEqual([
      'warning: --token on the command line shows in ps to every user of this host; use --token-file or SECRET_FLAG_TOKEN',
    ]);
  });

  it('takes the environment without a word', () => {
    expect(parse([], { SECRET_FLAG_TOKEN: 'from-env' })).toEqual({ flags: { token: 'from-env' }, warnings: [] });
  });

  it('refuses both, a file others may read, and an empty file, in one line each', () => {
    expect(errorOf(() => parse(['--token', 'a', '--token-file', secretFile('both', 'b')]))).toBe(
      'give --token or --token-file, not both',
    );
    const open = secretFile('open', 'x', 0o644);
    expect(errorOf(() => parse(['--token-file', open]))).toBe(
      `--token file ${open} is readable by group or others (mode 0644): run chmod 600 ${open}`,
    );
    const empty = secretFile('empty', '\n');
    expect(errorOf(() => parse(['--token-file', empty]))).toBe(
      `--token file ${empty} is empty: write the secret in it`,
    );
  });
});

describe('the commands', () => {
  it('offer a --<name>-file for every secret they take', () => {
    const program = buildProgram();
    const longs = (name: string) => program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
    expect(longs('confluence')).toEqual(
      expect.arrayContaining(
        ['api-token', 'password', 'token', 'oauth-token', 'api-key', 'embedding-api-key', 'database-url'].map(
          (name) => `--${name}-file`,
        ),
      ),
    );
    expect(longs('worker')).toContain('--database-url-file');
    expect(longs('codec-server')).toContain('--auth-header-file');
  });
});
