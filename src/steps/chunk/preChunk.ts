// Pre-chunking: group consecutive elements into runs that fit the window and respect section
// boundaries (by_title: each Title; and page changes unless multipageSections), tables alone; then, for
// by_title, merge runs shorter than combineUnder into the next while the result still fits.
import type { ChunkingOptions } from './config';
import { codePointLength, pyStrip, tail } from '../../core/pyText';
import type { SourceElement } from './sourceElements';

const SEPARATOR = '\n\n';

export class PreChunk {
  readonly text: string;

  constructor(
    readonly elements: SourceElement[],
    readonly overlapPrefix: string,
  ) {
    this.text = [overlapPrefix, ...elements.map((e) => e.segment)].filter((s) => s !== '').join(SEPARATOR);
  }

  get isSingleTable(): boolean {
    return this.elements.length === 1 && this.elements[0]!.kind === 'table';
  }

  /** The end of this chunk's text repeated at the start of the next (overlapAll). */
  overlapTail(opts: ChunkingOptions): string {
    return opts.interChunkOverlap ? pyStrip(tail(this.text, opts.interChunkOverlap)) : '';
  }

  canCombine(next: PreChunk, opts: ChunkingOptions): boolean {
    if (hasTable(this.elements) || hasTable(next.elements)) return false;
    if (sourceOf(this.elements[0]!) !== sourceOf(next.elements[0]!)) return false;
    if (codePointLength(this.text) >= opts.combineUnder) return false;
    return codePointLength(this.combine(next).text) <= opts.hardMax;
  }

  /** The second run's overlap prefix is dropped: it repeats the end of the first. */
  combine(next: PreChunk): PreChunk {
    return new PreChunk([...this.elements, ...next.elements], this.overlapPrefix);
  }
}

const hasTable = (elements: SourceElement[]): boolean => elements.some((e) => e.kind === 'table');

/**
 * A chunk carries one data_source (its first element's): elements with different ones (text another document lends a
 * page, with narrower permissions) never share a chunk, nor its overlap.
 */
const sourceOf = (e: SourceElement): string => JSON.stringify(e.metadata.data_source ?? null);

export function preChunk(elements: SourceElement[], opts: ChunkingOptions): PreChunk[] {
  const isBoundary = boundaryDetector(opts);
  const builder = new PreChunkBuilder(opts);
  const out: PreChunk[] = [];
  let source: string | undefined;
  for (const element of elements) {
    const boundary = isBoundary(element);
    const newSource = source !== undefined && sourceOf(element) !== source;
    source = sourceOf(element);
    if (newSource) out.push(...builder.flush(false));
    else if (boundary || !builder.fits(element)) out.push(...builder.flush());
    builder.add(element);
  }
  out.push(...builder.flush());
  return opts.strategy === 'by_title' ? combineSmall(out, opts) : out;
}

function combineSmall(preChunks: PreChunk[], opts: ChunkingOptions): PreChunk[] {
  const out: PreChunk[] = [];
  let accum: PreChunk | null = null;
  for (const pc of preChunks) {
    if (accum && !accum.canCombine(pc, opts)) {
      out.push(accum);
      accum = null;
    }
    accum = accum ? accum.combine(pc) : pc;
  }
  if (accum) out.push(accum);
  return out;
}

/** by_title: a Title starts a section; without multipage sections so does a change of page number. */
function boundaryDetector(opts: ChunkingOptions): (e: SourceElement) => boolean {
  if (opts.strategy === 'basic') return () => false;
  let currentPage: number | undefined;
  let first = true;
  const pageChanged = (e: SourceElement): boolean => {
    const page = e.metadata.page_number as number | undefined;
    if (first) {
      first = false;
      currentPage = page || 1;
      return false;
    }
    // an element without a page number continues the current page
    if (page === undefined || page === currentPage) return false;
    currentPage = page;
    return true;
  };
  return (e) => {
    // both checks run for every element so the page tracker sees each one
    const title = e.kind === 'title';
    const page = !opts.multipageSections && pageChanged(e);
    return title || page;
  };
}

/** Accumulates elements; sizes use raw element text, as Unstructured's builder does. */
class PreChunkBuilder {
  private elements: SourceElement[] = [];
  private overlapPrefix = '';
  private segmentLens: number[] = [];

  constructor(private readonly opts: ChunkingOptions) {}

  fits(e: SourceElement): boolean {
    if (e.kind === 'table') return this.elements.length === 0;
    if (hasTable(this.elements)) return false;
    if (this.elements.length === 0) return true;
    if (this.textLength() > this.opts.softMax) return false;
    return this.remainingSpace() >= codePointLength(e.text);
  }

  add(e: SourceElement): void {
    // a table never starts with the previous chunk's overlap
    if (this.elements.length === 0 && e.kind === 'table') this.reset('');
    this.elements.push(e);
    if (e.text) this.segmentLens.push(codePointLength(e.text));
  }

  /** `overlap`: false when the next chunk must not repeat the end of this one. */
  flush(overlap = true): PreChunk[] {
    if (this.elements.length === 0) return [];
    const pc = new PreChunk(this.elements, this.overlapPrefix);
    this.reset(pc.isSingleTable || !overlap ? '' : pc.overlapTail(this.opts));
    return [pc];
  }

  private reset(overlapPrefix: string): void {
    this.elements = [];
    this.overlapPrefix = overlapPrefix;
    this.segmentLens = overlapPrefix ? [codePointLength(overlapPrefix)] : [];
  }

  private textLength(): number {
    const n = this.segmentLens.length;
    return sum(this.segmentLens) + Math.max(0, n - 1) * SEPARATOR.length;
  }

  private remainingSpace(): number {
    return this.opts.hardMax - sum(this.segmentLens) - SEPARATOR.length * this.segmentLens.length;
  }
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
