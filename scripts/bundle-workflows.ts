// Run by `npm ci` and `npm install` (the `prepare` script): the workflow bundle is built once at install, so the first
// run after it does not spend over a second in webpack. Later source changes rebuild it at a worker's start.
import { workflowBundlePath } from '../src/temporal/workflowBundle';

workflowBundlePath().then(
  (codePath) => console.log(`workflow bundle: ${codePath}`),
  (err: unknown) => {
    console.error(`could not bundle the workflow code: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
