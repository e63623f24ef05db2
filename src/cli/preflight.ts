// Fails fast, before Temporal starts, on what a user can fix at once: bad credentials and unknown space keys.
import type { IngestInput, Secrets } from '../pipeline/config';
import { ConfigError } from '../core/configError';
import { createConfluenceClient } from '../connectors/confluence/client/client';

export async function preflight(input: IngestInput, secrets: Secrets): Promise<void> {
  const client = createConfluenceClient(input.site, secrets);
  const keys = input.selection.spaces;
  if (keys.length === 0) {
    await client.listSpaces({ limit: 1 });
    return;
  }
  const { missing } = await client.resolveSpaces(keys);
  if (missing.length > 0) {
    const who = input.site.username ? ` to user ${input.site.username}` : '';
    throw new ConfigError(
      `space key(s) ${missing.join(', ')} not found or not visible${who}; check --spaces (keys, not display names)`,
    );
  }
}
