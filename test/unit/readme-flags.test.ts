// The README's flag table of `durable-ingest confluence` and the command's --help say the same: the same flags, and
// the same default wherever either names one (a switch's "off" is the help's silence).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

interface Row {
  flags: string[];
  default: string;
}

function readmeRows(): Row[] {
  const section = README.split('### Flags of `durable-ingest confluence`')[1];
  const table = section.slice(section.indexOf('\n|')).split('\n\n')[0];
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `--'))
    .map((line) => {
      const [, flags, , value] = line.split('|');
      return { flags: flags.match(/--[a-z0-9-]+/g) ?? [], default: value.replaceAll('`', '').trim() };
    });
}

/** Each visible option of `confluence` as --help shows it: its long name and the default its line names. */
function helpOptions(): Map<string, string | undefined> {
  const command = buildProgram().commands.find((c) => c.name() === 'confluence')!;
  const help = command.createHelp();
  const options = help.visibleOptions(command).filter((o) => o.long !== '--help');
  return new Map(
    options.map((o) => [o.long!, /\(default: (.+?)(?:, env: [^)]*)?\)/.exec(help.optionDescription(o))?.[1]]),
  );
}

describe('the README flag table of confluence', () => {
  const rows = readmeRows();
  const help = helpOptions();

  it('lists every flag of --help, and only those', () => {
    const inReadme = rows.flatMap((r) => r.flags);
    expect(
      [...help.keys()].filter((flag) => !inReadme.includes(flag)),
      'in --help, missing in README',
    ).toEqual([]);
    expect(
      inReadme.filter((flag) => !help.has(flag)),
      'in README, not in --help',
    ).toEqual([]);
  });

  it('gives the default --help names', () => {
    const disagree = rows.flatMap((row) =>
      row.flags
        .filter((flag) => help.get(flag) !== undefined && help.get(flag) !== row.default)
        .map((flag) => `${flag}: README "${row.default}", --help "${help.get(flag)}"`),
    );
    expect(disagree).toEqual([]);
  });

  it('names no default that --help leaves out, but "off" for a switch', () => {
    const unnamed = rows
      .filter((row) => row.flags.length === 1 && row.default !== '' && row.default !== 'off')
      .filter((row) => help.get(row.flags[0]) === undefined)
      .map((row) => `${row.flags[0]}: README "${row.default}"`);
    expect(unnamed).toEqual([]);
  });
});
