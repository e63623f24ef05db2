// `durable-ingest explain --output-dir D <page-id|title|url>`: why a page is (or is not) in an output, from its
// checkpoint and its last report; with --ask-site, also what the site shows the ingest account of it now.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type CheckpointStore, defaultCheckpointPath, openCheckpoint } from '../../checkpoint';
import { type ConfluenceClient, createConfluenceClient } from '../../connectors/confluence/client';
import { describeUser } from '../../connectors/confluence/client/auth';
import { ConfigError } from '../../core/configError';
import { REPORT_FILE, type RunReport } from '../../pipeline/activities/report';
import { action } from '../action';
import { explainPage } from '../explain';
import { readSite, siteLines, siteTitleCandidates } from '../explainSite';
import { onlyCandidate, type PageTarget, pageTargetOf, titleCandidates } from '../explainTarget';
import { signInFromFlags } from '../flags';
import { ASK_SITE_OPTIONS, EXPLAIN_OPTIONS, type ExplainFlags } from '../options/explain';
import { flagReader, longName, withOptions } from '../options/spec';
import { EXIT } from '../outcome';

interface SiteAsker {
  client: ConfluenceClient;
  who: string;
}

/** What the page is looked up in. */
interface Sources {
  site: string;
  checkpoint: CheckpointStore;
  report?: RunReport;
  asker?: SiteAsker;
}

export async function explainCommand(page: string, flags: ExplainFlags): Promise<number> {
  checkAskSiteFlags(flags);
  const target = pageTargetOf(page);
  const report = readReport(flags.outputDir);
  const site = flags.url ?? report?.site ?? process.env.CONFLUENCE_URL;
  if (!site) throw new ConfigError(`${flags.outputDir} has no ${REPORT_FILE} to name the site: give it with --url`);
  const checkpoint = openOutputCheckpoint(flags);
  try {
    const sources = { site, checkpoint, report, asker: flags.askSite ? await siteAsker(flags, site) : undefined };
    console.log((await explainLines(await pageIdOf(target, sources, flags.outputDir), sources, flags)).join('\n'));
  } finally {
    await checkpoint.close();
  }
  return EXIT.done;
}

/** Sign-in and label flags do nothing without --ask-site: typed anyway, they are a mistake to name. */
function checkAskSiteFlags(flags: ExplainFlags): void {
  if (flags.askSite) return;
  const key = (Object.keys(ASK_SITE_OPTIONS) as (keyof typeof ASK_SITE_OPTIONS)[]).find((k) => flags[k] !== undefined);
  if (key) {
    const flag = longName(ASK_SITE_OPTIONS[key]);
    throw new ConfigError(`${flag} is for asking the site: add --ask-site, or leave ${flag} out`);
  }
}

function readReport(outputDir: string): RunReport | undefined {
  const file = path.join(outputDir, REPORT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunReport;
  } catch {
    throw new ConfigError(`${file} is not JSON (cut short, or written by hand?): delete it, or run the ingest again`);
  }
}

function openOutputCheckpoint(flags: ExplainFlags): CheckpointStore {
  const location = flags.checkpointUrl ?? defaultCheckpointPath(flags.outputDir);
  if (!flags.checkpointUrl && !existsSync(location))
    throw new ConfigError(`${flags.outputDir} holds no ingest (no ${path.basename(location)}): check --output-dir`);
  return openCheckpoint(location, { scope: path.resolve(flags.outputDir) });
}

async function siteAsker(flags: ExplainFlags, url: string): Promise<SiteAsker> {
  const { site, secrets } = await signInFromFlags({ ...flags, url });
  return { client: createConfluenceClient(site, secrets), who: describeUser(site) };
}

/** A title is looked up in the output first; on the site only when the output knows none and --ask-site is given. */
async function pageIdOf(target: PageTarget, sources: Sources, outputDir: string): Promise<string> {
  if ('id' in target) return target.id;
  const { site, checkpoint, report, asker } = sources;
  const known = titleCandidates(target, await checkpoint.titled(site, target.title), report);
  if (known.length > 0 || !asker) {
    const fix = 'give the page id or its URL, or add --ask-site to look the title up on the site';
    return onlyCandidate(target, known, `in the checkpoint or the last report of ${outputDir}`, fix);
  }
  const found = await siteTitleCandidates(asker.client, target);
  return onlyCandidate(target, found, `on ${site} as ${asker.who}`, 'check the title (it must match exactly)');
}

async function explainLines(id: string, sources: Sources, flags: ExplainFlags): Promise<string[]> {
  const { site, checkpoint, report, asker } = sources;
  const record = await checkpoint.get(site, id);
  const lines = explainPage(id, record, report);
  if (!asker) return lines;
  const read = flagReader(EXPLAIN_OPTIONS, flags);
  // Confluence stores labels in lower case, as the ingest takes them.
  const filter = {
    labels: read('labels')?.map((l) => l.toLowerCase()) ?? [],
    excludeLabels: read('excludeLabels')?.map((l) => l.toLowerCase()) ?? [],
  };
  const view = { who: asker.who, ...(await readSite(asker.client, id)) };
  return [...lines, ...siteLines(id, view, { record, report, filter })];
}

export function addExplainCommand(program: Command): void {
  withOptions(
    program
      .command('explain')
      .description('why a page is, or is not, in an output: from its checkpoint and last report (and the site)')
      .argument('<page>', 'page id, URL or title'),
    EXPLAIN_OPTIONS,
  ).action(action(explainCommand));
}
