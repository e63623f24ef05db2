// `durable-ingest explain --output-dir D <page-id|title|url>`: why a page is (or is not) in an output, from its
// checkpoint and its last report, without asking the site.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { defaultCheckpointPath, openCheckpoint } from '../../checkpoint';
import { ConfigError } from '../../core/configError';
import { REPORT_FILE, type RunReport } from '../../pipeline/activities/report';
import { JOB_DEFAULTS } from '../../pipeline/config';
import { action } from '../action';
import { explainPage, pageIdByTitle, pageIdOf } from '../explain';
import { EXIT } from '../outcome';

interface ExplainFlags {
  outputDir: string;
  url?: string;
  checkpointUrl?: string;
}

async function explainCommand(page: string, flags: ExplainFlags): Promise<number> {
  const report = readReport(flags.outputDir);
  const site = flags.url ?? report?.site;
  if (!site) throw new ConfigError(`${flags.outputDir} has no ${REPORT_FILE} to name the site: give it with --url`);
  const id = pageIdOf(page) ?? pageIdByTitle(page, report);
  if (!id)
    throw new ConfigError(
      `no page titled "${page}" in the last report of ${flags.outputDir}: give the page id or its URL instead`,
    );
  const location = flags.checkpointUrl ?? defaultCheckpointPath(flags.outputDir);
  if (!flags.checkpointUrl && !existsSync(location))
    throw new ConfigError(`${flags.outputDir} holds no ingest (no ${path.basename(location)}): check --output-dir`);
  const checkpoint = openCheckpoint(location, { scope: path.resolve(flags.outputDir) });
  try {
    console.log(explainPage(id, await checkpoint.get(site, id), report).join('\n'));
  } finally {
    await checkpoint.close();
  }
  return EXIT.done;
}

function readReport(outputDir: string): RunReport | undefined {
  const file = path.join(outputDir, REPORT_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunReport) : undefined;
}

export function addExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('why a page is, or is not, in an output: from its checkpoint and last report')
    .argument('<page>', 'page id, title or URL')
    .option('--output-dir <dir>', 'the output the page should be in', JOB_DEFAULTS.outputDir)
    .option('--url <url>', 'the site (default: the one the last report names)')
    .option('--checkpoint-url <url>', 'the checkpoint in PostgreSQL, when the output keeps it there')
    .action(action(explainCommand));
}
