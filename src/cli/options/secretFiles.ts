// A secret typed as a flag is in the process's arguments, which `ps` shows every user of the host. Each secret option
// has a `--<name>-file` twin that reads it from a file only its owner may read; a secret given as a flag still works
// (scripts rely on it) but earns one warning line.
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { ConfigError } from '../../core/configError';
import { assertOwnerOnly } from '../../core/ownerOnly';

interface SecretPair {
  secret: Option;
  file: Option;
}

const PAIRS = new WeakMap<Command, SecretPair[]>();

/** Adds `--<name>-file <path>` beside the secret option `secret` of `command`. */
export function addSecretFileOption(command: Command, secret: Option): void {
  const file = new Option(`${secret.long}-file <path>`, `read ${secret.long} from this file (mode 600), out of ps`);
  command.addOption(file.hideHelp(secret.hidden));
  PAIRS.set(command, [...(PAIRS.get(command) ?? []), { secret, file }]);
}

function readSecret(path: string, flag: string): string {
  assertOwnerOnly(path, `${flag} file`);
  const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (!text) throw new ConfigError(`${flag} file ${path} is empty: write the secret in it`);
  return text;
}

/**
 * Before a command runs: each `--<name>-file` given becomes its secret's value, and each secret typed on the command
 * line is warned about through `warn`.
 */
export function resolveSecretFiles(command: Command, warn: (line: string) => void): void {
  for (const { secret, file } of PAIRS.get(command) ?? []) {
    const key = secret.attributeName();
    const path = command.getOptionValue(file.attributeName()) as string | undefined;
    const typed = command.getOptionValueSource(key) === 'cli';
    if (path !== undefined && typed) throw new ConfigError(`give ${secret.long} or ${file.long}, not both`);
    if (path !== undefined) command.setOptionValueWithSource(key, readSecret(path, secret.long ?? key), 'config');
    else if (typed) {
      const instead = secret.envVar ? `${file.long} or ${secret.envVar}` : file.long;
      warn(`warning: ${secret.long} on the command line shows in ps to every user of this host; use ${instead}`);
    }
  }
}
