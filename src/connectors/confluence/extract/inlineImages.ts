// --extract-images: each allowed <img src> becomes data:<sniffed type>;base64,... so the page's elements carry
// their images. What is not inlined stays a URL and, when it was a choice rather than a transient fault, a note.
import render from 'dom-serializer';
import type { Element } from 'domhandler';
import { findAll } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../../core/htmlNesting';
import { describeUrl, type UrlPolicy } from './allowList';
import { DownloadError } from './download';
import { isImageType, sniffBytes } from './mediaType';

/** Fetches one image (same policy, credentials and redirect rules as downloads); throws DownloadError. */
export type ImageFetcher = (url: URL, maxBytes: number) => Promise<Uint8Array>;

export interface InlineImagesOptions {
  policy: UrlPolicy;
  /** URL the HTML came from: relative srcs (Data Center) resolve against it. */
  baseUrl: string;
  fetch: ImageFetcher;
  maxImageBytes: number;
  /** Images fetched at once. */
  concurrency?: number;
}

/** Why an image stayed a URL, for the run report; `src` has no query (no tokens). */
export interface ImageNote {
  src: string;
  reason: 'refused' | 'too-large' | 'not-an-image' | 'failed';
  detail: string;
}

export interface InlineImagesResult {
  html: string;
  inlined: number;
  notes: ImageNote[];
}

type Outcome = { dataUri: string } | { note: ImageNote };

const DEFAULT_CONCURRENCY = 4;

/**
 * Inlines the images of `html`. Images already inline are left alone; refused, oversized, non-image and
 * permanently failing ones keep their URL and yield a note. Retryable fetch failures (5xx, 429, network,
 * timeout) are thrown so the activity is retried instead of silently dropping an image.
 */
export async function inlineImages(html: string, opts: InlineImagesOptions): Promise<InlineImagesResult> {
  const doc = parseDocument(flattenDeepNesting(html));
  const images = findAll((el) => el.name === 'img' && typeof el.attribs.src === 'string', doc.children);
  const targets = images.filter((img) => !isInline(img) && img.attribs.src.trim() !== '');
  const outcomes = await mapLimited(
    [...new Set(targets.map((img) => img.attribs.src))],
    opts.concurrency ?? DEFAULT_CONCURRENCY,
    (src) => inlineOne(src, opts),
  );
  let inlined = 0;
  for (const img of targets) {
    const outcome = outcomes.get(img.attribs.src)!;
    if ('dataUri' in outcome) {
      img.attribs.src = outcome.dataUri;
      inlined++;
    }
  }
  const notes = [...outcomes.values()].flatMap((o) => ('note' in o ? [o.note] : []));
  return { html: render(doc, { encodeEntities: 'utf8' }), inlined, notes };
}

function isInline(img: Element): boolean {
  return img.attribs.src.trim().toLowerCase().startsWith('data:');
}

async function inlineOne(src: string, opts: InlineImagesOptions): Promise<Outcome> {
  let shown: string;
  try {
    shown = describeUrl(new URL(src, opts.baseUrl));
  } catch {
    return { note: { src: '<unparseable URL>', reason: 'refused', detail: 'the src is not a valid URL' } };
  }
  // The policy sees the src as written, so an obfuscated host cannot hide behind our own resolution.
  const verdict = opts.policy.check(src, opts.baseUrl);
  if (!verdict.ok) return { note: { src: shown, reason: 'refused', detail: verdict.reason } };
  let bytes: Uint8Array;
  try {
    bytes = await opts.fetch(verdict.url, opts.maxImageBytes);
  } catch (err) {
    if (!(err instanceof DownloadError) || err.retryable || err.code === 'aborted') throw err;
    const reason = err.code === 'refused' || err.code === 'too-large' ? err.code : 'failed';
    return { note: { src: shown, reason, detail: err.message } };
  }
  const mediaType = await sniffBytes(bytes);
  if (!isImageType(mediaType)) {
    return { note: { src: shown, reason: 'not-an-image', detail: `the server sent ${mediaType}, not an image` } };
  }
  return { dataUri: `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}` };
}

/** Runs `fn` over `items` with at most `limit` in flight; results keyed by item. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<Map<T, R>> {
  const results = new Map<T, R>();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      results.set(item, await fn(item));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
