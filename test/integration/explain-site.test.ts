// `explain --ask-site` as a user runs it after a real ingest (embedded Temporal, the simulator over HTTP): the site is
// changed behind the output (an edit, a restriction, a new page), and each answer puts what the output holds beside
// what the ingest account sees now. Secrets are never printed; `status --explain` says the same as `explain`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator';
import { EXIT } from '../../src/cli/outcome';
import { type CliRun, runCli } from '../support/cli';
import { ingestCli } from '../support/faultRuns';
import { tempDir } from '../support/stack';

let sim: RunningSimulator;
let out: string;
const runs: CliRun[] = [];

/** A page of the generated site by title (seed 11: ENG and OPS, five pages and three tree items each). */
function node(title: string) {
  const found = [...sim.site.spaces].flatMap((s) => sim.site.nodesOf(s.id)).find((n) => n.title === title);
  if (!found) throw new Error(`no node titled ${title}`);
  return found;
}

async function explain(args: string[], askSite = true): Promise<CliRun> {
  const site = askSite ? ['--ask-site', '--cloud'] : [];
  const env = { CONFLUENCE_USERNAME: sim.credentials.username, CONFLUENCE_API_TOKEN: sim.credentials.apiToken };
  const run = await runCli(['explain', '--output-dir', out, ...site, ...args], env);
  runs.push(run);
  return run;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, spaces: 2, pagesPerSpace: 5, treeItemsPerSpace: 3 });
  sim.site.setLabels(node('Database Migration Proposal').id, ['draft']);
  const dir = tempDir('explain-site');
  out = path.join(dir, 'out');
  const ingest = await ingestCli(sim, out, path.join(dir, 'work'), ['--exclude-labels', 'draft']);
  expect(ingest.code, ingest.stderr).toBe(EXIT.done);
}, 240_000);
afterAll(async () => {
  // Whatever else went wrong, no answer may hold the credential it signed in with.
  for (const run of runs) expect(run.stdout + run.stderr).not.toContain(sim.credentials.apiToken);
  await sim?.close();
});

it('an ingested page edited since, under a restricted ancestor, by its Cloud URL', async () => {
  const page = node('Architecture Design Doc');
  const parent = node('Onboarding How-to');
  const written = page.version.number;
  sim.site.editPage(page.id);
  sim.site.setLabels(page.id, ['runbook']);
  const other = sim.site.users[1].id;
  sim.site.setRestriction(parent.id, 'read', { userIds: [sim.site.users[0].id, other], groupIds: [] });
  const run = await explain([`${sim.url}/wiki/spaces/ENG/pages/${page.id}/Architecture+Design+Doc`]);
  expect(run.code, run.stderr).toBe(EXIT.done);
  const lines = run.stdout.trim().split('\n');
  expect(lines[0]).toMatch(
    new RegExp(`^page ${page.id} "Architecture Design Doc" \\(space ENG\\) is ingested: version ${written}, `),
  );
  expect(lines[1]).toBe(`outputs: ${path.resolve(out, 'ENG', `${page.id}.html.json`)}`);
  expect(lines.slice(3)).toEqual([
    expect.stringMatching(/^the last run \(.+\) listed it and wrote this version$/),
    `the site now, as user ${sim.credentials.username}: page ${page.id} "Architecture Design Doc" in space ENG, ` +
      `version ${written + 1}, under ${node('Engineering Home').id} "Engineering Home" > ` +
      `${parent.id} "Onboarding How-to"`,
    `view-restricted through ancestor ${parent.id} "Onboarding How-to", to 2 users: only who passes every ` +
      'restriction (and the space) sees it',
    'labels: runbook (give the run’s --labels/--exclude-labels to check them)',
    `so: the site has version ${written + 1} and the output version ${written}: the next run ingests it again`,
  ]);
});

it('a page left out by its label, by title, the label filter given', async () => {
  const page = node('Database Migration Proposal');
  const run = await explain(['--exclude-labels', 'Draft', 'Database Migration Proposal']);
  expect(run.stdout.trim().split('\n')).toEqual([
    expect.stringMatching(
      /^the last run \(.+\) left out Database Migration Proposal: left out by --exclude-labels: labelled draft$/,
    ),
    `the site now, as user ${sim.credentials.username}: page ${page.id} "Database Migration Proposal" in space ENG, ` +
      `version ${page.version.number}, under ${node('Engineering Home').id} "Engineering Home" > ` +
      `${node('Onboarding How-to').id} "Onboarding How-to"`,
    expect.stringMatching(/^view-restricted through ancestor /),
    'labels: draft; left out by --exclude-labels: labelled draft',
    'so: a run with these label filters leaves it out',
  ]);
});

it('a page the account no longer sees, the credential read from a --api-token-file', async () => {
  const page = node('Budget FAQ');
  sim.site.setRestriction(page.id, 'read', { userIds: [sim.site.users[1].id], groupIds: [] });
  const tokenFile = path.join(tempDir('explain-token'), 'token');
  writeFileSync(tokenFile, `${sim.credentials.apiToken}\n`, { mode: 0o600 });
  const run = await runCli([
    'explain',
    '--output-dir',
    out,
    '--ask-site',
    '--cloud',
    '--username',
    sim.credentials.username,
    '--api-token-file',
    tokenFile,
    page.id,
  ]);
  runs.push(run);
  expect(run.stderr).toBe('');
  expect(run.stdout.trim().split('\n').slice(-2)).toEqual([
    `the site now, as user ${sim.credentials.username}: ${page.id} is not visible to this account: restricted from ` +
      'it, or deleted (Confluence answers both alike)',
    'so: the next run will not list it: its outputs are then kept granting no one (--delete-missing removes them)',
  ]);
});

it('a whiteboard: named by the run as not ingested, and why; by id or title; status --explain says the same', async () => {
  const board = node('Engineering whiteboard 1');
  const reason =
    'whiteboard is not in --content-types (the API gives its metadata, not its content: add whiteboard to ingest that)';
  const asked = await explain([board.id]);
  expect(asked.stdout.trim().split('\n')).toEqual([
    expect.stringMatching(
      new RegExp(
        `^the last run \\(.+\\) did not ingest whiteboard ${board.id} "Engineering whiteboard 1" \\(space ENG\\), ` +
          'of a type not ingested: whiteboard is not in --content-types ',
      ),
    ),
    `the site now, as user ${sim.credentials.username}: ${board.id} is a whiteboard "Engineering whiteboard 1" in ` +
      'space ENG, not a page',
    `so: ${reason}`,
  ]);
  const offline = await explain([board.id], false);
  expect(offline.stdout.trim().split('\n')).toEqual([asked.stdout.split('\n')[0]]);
  expect(offline.stdout).toContain(`of a type not ingested: ${reason}`);
  const status = await runCli(['status', '--explain', board.id, '--output-dir', out]);
  expect([status.code, status.stdout]).toEqual([EXIT.done, offline.stdout]);
  // By its title too, found among the tree items the report names.
  const byTitle = await explain(['Engineering whiteboard 1'], false);
  expect(byTitle.stdout).toBe(offline.stdout);
});

it('an embed by its Cloud URL: found on the site by id in one search, left out by the run', async () => {
  const embed = sim.site.nodesOf(sim.site.spaceByKey('ENG')!.id).find((n) => n.type === 'embed')!;
  const asked = await explain([`${sim.url}/wiki/spaces/ENG/embed/${embed.id}`]);
  expect(asked.code, asked.stderr).toBe(EXIT.done);
  expect(asked.stdout.trim().split('\n').slice(-2)).toEqual([
    `the site now, as user ${sim.credentials.username}: ${embed.id} is an embed "${embed.title}" in space ENG, ` +
      'not a page',
    'so: embed is not in --content-types (the API gives its metadata, not its content: add embed to ingest that)',
  ]);
});

it('a page made since the run: its title unknown to the output, found on the site', async () => {
  const eng = sim.site.spaceByKey('ENG')!;
  const fresh = sim.site.addPage({ spaceId: eng.id, title: 'Fresh Runbook' });
  const offline = await explain(['Fresh Runbook'], false);
  expect([offline.code, offline.stderr.trim()]).toEqual([
    EXIT.badInput,
    `durable-ingest: no page titled "Fresh Runbook" in the checkpoint or the last report of ${out}: give the page ` +
      'id or its URL, or add --ask-site to look the title up on the site',
  ]);
  const asked = await explain(['Fresh Runbook']);
  expect(asked.stdout.trim().split('\n')).toEqual([
    expect.stringMatching(new RegExp(`^page ${fresh.id} is neither recorded in this output`)),
    `the site now, as user ${sim.credentials.username}: page ${fresh.id} "Fresh Runbook" in space ENG, version 1`,
    "not view-restricted: its space's permissions decide who sees it",
    'labels: none (give the run’s --labels/--exclude-labels to check them)',
    'so: it was made after the last run: the next run ingests it',
  ]);
});

it('refuses site flags without --ask-site, in one line', async () => {
  const run = await explain(['--labels', 'ops', '42'], false);
  expect([run.code, run.stderr.trim()]).toEqual([
    EXIT.badInput,
    'durable-ingest: --labels is for asking the site: add --ask-site, or leave --labels out',
  ]);
});
