// An option of a command, declared once: its commander Option, the type of the flags an action receives, the default
// the help names and how its text becomes a value all come from the one declaration. A table of them per concern
// (options/*.ts) is what a command is assembled from; the README's flag table is checked against the help they make.
import { type Command, Option } from 'commander';
import { ConfigError } from '../../core/configError';
import { addSecretFileOption } from './secretFiles';

/** How an option's text becomes a value; `flag` (e.g. `--page-size`) names it in the one line a mistake prints. */
export type ParseRule<T> = (text: string, flag: string) => T;

export interface OptionSpec {
  /** Commander's flags: `--page-size <n>`, a switch `--reprocess`, or a negation `--no-permissions`. */
  flags: string;
  help: string;
  /** The switch's negation, `--no-<name>`, with this help: the switch is then unset (undefined) unless given. */
  negation?: string;
  /** Commander reads the environment variable when the flag is absent. */
  env?: string;
  /** Commander fills it in when the flag is absent. */
  default?: string;
  /** What the help names as the default when the job's schema or the worker decides it (the constant they use). */
  shownDefault?: string | number;
  choices?: readonly string[];
  hidden?: boolean;
  parse?: ParseRule<unknown>;
  /** A credential: it gets a `--<name>-file` twin, and a warning when typed on the command line (secretFiles.ts). */
  secret?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

function option(spec: OptionSpec): Option {
  const shown = spec.shownDefault === undefined ? '' : ` (default: ${spec.shownDefault})`;
  const made = new Option(spec.flags, `${spec.help}${shown}`);
  if (spec.env) made.env(spec.env);
  if (spec.default !== undefined) made.default(spec.default, spec.default);
  if (spec.choices) made.choices(spec.choices);
  return made.hideHelp(Boolean(spec.hidden));
}

/** Adds the options, in the table's order, to the command. */
export function withOptions(command: Command, specs: OptionSpecs): Command {
  for (const spec of Object.values(specs)) {
    const made = option(spec);
    command.addOption(made);
    if (spec.secret) addSecretFileOption(command, made);
    if (spec.negation) command.addOption(new Option(`--no-${longName(spec).slice(2)}`, spec.negation));
  }
  return command;
}

/** `--page-size` of `--page-size <n>`. */
export function longName(spec: OptionSpec): string {
  return spec.flags.split(/[ ,]/)[0];
}

type TextOf<S extends OptionSpec> = S['flags'] extends `${string}<${string}>`
  ? S['choices'] extends readonly (infer C)[]
    ? C
    : string
  : boolean;

/** The flags an action receives for these options (commander's camelCase names): those with a default are always set. */
export type FlagsOf<S extends OptionSpecs> = {
  [K in keyof S as S[K] extends { default: string } ? K : never]: TextOf<S[K]>;
} & {
  [K in keyof S as S[K] extends { default: string } ? never : K]?: TextOf<S[K]>;
};

type ValueOf<S extends OptionSpec> = S['parse'] extends ParseRule<infer T> ? T : TextOf<S>;

/**
 * Reads one flag by its table's parse rule, when asked: a flag that does not apply (a chunk size without a strategy) is
 * never parsed, so it cannot fail the run.
 */
export function flagReader<S extends OptionSpecs>(specs: S, flags: Partial<Record<keyof S, unknown>>) {
  return <K extends keyof S & string>(key: K): ValueOf<S[K]> | undefined => {
    const text = flags[key];
    const { parse } = specs[key];
    if (text === undefined || !parse) return text as ValueOf<S[K]> | undefined;
    return parse(String(text), longName(specs[key])) as ValueOf<S[K]>;
  };
}

export const wholeNumber: ParseRule<number> = (text, flag) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${flag} must be a whole number, got "${text}"`);
  return n;
};

/** `20%` or `20`: a share from 0 to 100. */
export const percent: ParseRule<number> = (text, flag) => {
  const n = Number(text.trim().replace(/%$/, ''));
  if (!(n >= 0 && n <= 100)) throw new ConfigError(`${flag} must be a percentage from 0% to 100%, got "${text}"`);
  return n;
};

export const positiveNumber: ParseRule<number> = (text, flag) => {
  const n = Number(text);
  if (!(n > 0)) throw new ConfigError(`${flag} must be a positive number, got "${text}"`);
  return n;
};

/** Comma-separated, blanks dropped. */
export const list: ParseRule<string[]> = (text) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const seconds: ParseRule<number> = (text, flag) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a number of seconds (0 or more), got "${text}"`);
  return n;
};

export const port: ParseRule<number> = (text, flag) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${flag} must be a port number (1-65535), got "${text}"`);
  return n;
};
