export { confluenceIngestWorkflow } from './ingest';
export { confluencePageWorkflow } from './page';
