// `durable-ingest schema`: the workflow input as JSON Schema, for `temporal workflow start --input` and the UI's
// start form. Generated from the zod schema the workflow itself parses with, so the two cannot drift apart.
import { z } from 'zod';
import { IngestInputSchema } from '../pipeline/config';

export function ingestInputJsonSchema(): Record<string, unknown> {
  // 'input': fields with defaults are optional, as they are when starting a workflow.
  const schema = z.toJSONSchema(IngestInputSchema, { io: 'input' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'confluenceIngestWorkflow input',
    description:
      'The one argument of the confluenceIngestWorkflow workflow type (task queue durable-ingest). Holds no secret: workers resolve credentials.',
  };
}

export function ingestInputJsonSchemaText(): string {
  return `${JSON.stringify(ingestInputJsonSchema(), null, 2)}\n`;
}
