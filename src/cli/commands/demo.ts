// `durable-ingest demo` (`npm run demo`): the bundled simulator's site ingested with an embedded Temporal.
import type { Command } from 'commander';
import { startSimulator } from '../../../simulator';
import { DEFAULT_TASK_QUEUE, JOB_DEFAULTS } from '../../pipeline/config';
import { action } from '../action';
import { EMBEDDED_WORK_DIR } from '../options/confluence';
import { DEFAULT_NAMESPACE } from '../options/temporal';
import { confluenceCommand } from './confluence';

async function demoCommand(flags: { outputDir: string }): Promise<number> {
  const sim = await startSimulator({ seed: 42, spaces: 3, pagesPerSpace: 40 });
  console.error(`simulated Confluence Cloud site at ${sim.url}`);
  try {
    return await confluenceCommand({
      url: sim.url,
      username: sim.credentials.username,
      apiToken: sim.credentials.apiToken,
      cloud: true,
      outputDir: flags.outputDir,
      workDir: EMBEDDED_WORK_DIR,
      namespace: DEFAULT_NAMESPACE,
      taskQueue: DEFAULT_TASK_QUEUE,
    });
  } finally {
    await sim.close();
  }
}

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('ingest the bundled simulator site with an embedded Temporal')
    .option('--output-dir <dir>', 'where the element JSON goes', JOB_DEFAULTS.outputDir)
    .action(action(demoCommand));
}
