// `durable-ingest`: the command line over the pipeline, assembled from one module per command.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/configError';
import { setVerbose } from '../core/log';
import { quietRuntime } from '../temporal/runtime';
import { action } from './action';
import { addConfluenceCommand } from './commands/confluence';
import { addDemoCommand } from './commands/demo';
import { addExplainCommand } from './commands/explain';
import { addSimulatorCommand } from './commands/simulator';
import { addStatusCommand } from './commands/status';
import { addWorkerCommand } from './commands/worker';
import { addOpsCommands } from './ops';
import { addOpenSearchCommands } from './opensearch';
import { EXIT } from './outcome';
import { resolveSecretFiles } from './options/secretFiles';
import { addPostgresCommands } from './postgres';

export function buildProgram(): Command {
  const program = new Command('durable-ingest')
    .description('Durable Confluence ingest into Unstructured-compatible elements, on Temporal')
    // Commander's own exit (1) on a flag it does not know would mean "some pages failed": main() maps it to bad input.
    .exitOverride()
    .option('--verbose', 'debug logs on stderr (JSON lines)')
    .hook('preAction', (command, actionCommand) => {
      const verbose = Boolean(command.opts().verbose);
      setVerbose(verbose);
      quietRuntime(verbose ? 'INFO' : 'ERROR');
      resolveSecretFiles(actionCommand, (line) => console.error(`durable-ingest: ${line}`));
    });
  addConfluenceCommand(program);
  addStatusCommand(program);
  addExplainCommand(program);
  addWorkerCommand(program);
  addOpsCommands(program);
  addPostgresCommands(program, action);
  addOpenSearchCommands(program, action);
  addSimulatorCommand(program);
  addDemoCommand(program);
  return program;
}

/** Exits explicitly: keep-alive pools and the SDK's runtime would otherwise hold the process open. */
export async function main(argv = process.argv): Promise<never> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      // A --<name>-file refused before the command ran.
      console.error(`durable-ingest: ${err.message}`);
      process.exitCode = EXIT.badInput;
    } else {
      // Commander has printed its message; help and --version end with its code 0.
      if (!(err instanceof CommanderError)) throw err;
      process.exitCode = err.exitCode === 0 ? EXIT.done : EXIT.badInput;
    }
  }
  process.exit(process.exitCode ?? EXIT.done);
}
