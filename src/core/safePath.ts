// Joins path components under a root and refuses any that would land outside it ("..", absolute parts).
import * as path from 'node:path';

/**
 * The absolute path of `segments` under `root`, refusing anything that would land on or outside it
 * (traversal, absolute segments, drive letters). Segments should already be sanitized; this is the last guard.
 */
export function resolveInside(root: string, ...segments: string[]): string {
  const absRoot = path.resolve(root);
  const target = path.resolve(absRoot, ...segments);
  if (!isInside(absRoot, target)) {
    throw new Error(
      `path ${JSON.stringify(segments.join('/'))} escapes ${absRoot}; sanitize each component with sanitizeFileName first`,
    );
  }
  return target;
}

/** True when `target` is below `root` (not `root` itself), after resolving both. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return !(rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}
