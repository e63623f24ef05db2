// Stable identifiers, pure and dependency-free so workflow code (Temporal's sandbox) can import them.

/** 64-bit FNV-1a as 16 hex chars: short, stable keys for URLs and paths, not for security. */
export function shortHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * Child workflow id: the same page version ingested into the same destination (its key, destinations/identity.ts)
 * never runs twice at once, and the same page into two destinations is two children.
 */
export function pageWorkflowId(siteUrl: string, destination: string, pageId: string, version: number): string {
  return `confluence-page-${shortHash(`${siteUrl}\n${destination}`)}-${pageId}-v${version}`;
}
