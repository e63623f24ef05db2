// Fails fast, before Temporal starts, on what a user can fix at once: bad credentials and unknown space keys.
import type { IngestInput, Secrets } from './config';
import { ConfigError } from './config';
import { createConfluenceClient } from './confluence/client';

export async function preflight(input: IngestInput, secrets: Secrets): Promise<void> {
  const client = createConfluenceClient(input.site, secrets);
  const keys = input.selection.spaces;
  const listing = await client.listSpaces({ keys: keys.length > 0 ? keys : undefined, limit: Math.min(Math.max(keys.length, 1), 250) });
  const found = new Set(listing.items.map((s) => s.key));
  const unknown = keys.length <= 250 ? keys.filter((k) => !found.has(k)) : [];
  if (unknown.length > 0) {
    const who = input.site.username ? ` to user ${input.site.username}` : '';
    throw new ConfigError(`space key(s) ${unknown.join(', ')} not found or not visible${who}; check --spaces (keys, not display names)`);
  }
}
