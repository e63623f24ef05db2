// Search attributes an ingest keeps current (once per listing batch), so the Temporal UI can filter and show progress.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  site: defineSearchAttributeKey('DurableIngestSite', SearchAttributeType.KEYWORD),
  spaces: defineSearchAttributeKey('DurableIngestSpaces', SearchAttributeType.KEYWORD_LIST),
  done: defineSearchAttributeKey('DurableIngestPagesDone', SearchAttributeType.INT),
  failed: defineSearchAttributeKey('DurableIngestPagesFailed', SearchAttributeType.INT),
};

/** Keyword values stay well within the server's per-value limit (2 KB by default) whatever the site and spaces. */
const MAX_VALUE_BYTES = 1500;

// Workflow code calls this: TextEncoder, not Buffer, is what its sandbox has.
const byteLength = (text: string) => new TextEncoder().encode(text).length;

export function searchAttributeValues(siteUrl: string, spaceKeys: string[]): { site: string; spaces: string[] } {
  const spaces: string[] = [];
  let bytes = 0;
  for (const key of spaceKeys) {
    bytes += byteLength(key) + 3;
    if (bytes > MAX_VALUE_BYTES) break;
    spaces.push(key);
  }
  return { site: truncateBytes(siteUrl, MAX_VALUE_BYTES), spaces };
}

function truncateBytes(text: string, max: number): string {
  let out = text;
  while (byteLength(out) > max) out = out.slice(0, -1);
  return out;
}
