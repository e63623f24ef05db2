// Chunking options with Unstructured's names, defaults and validation (unstructured.chunking 0.27).
import { z } from 'zod';
import { ConfigError, describeIssues } from '../../core/configError';

const count = (flag: string) =>
  z.number({ error: `must be a whole number (${flag})` }).int({ error: `must be a whole number (${flag})` });

/** Unstructured's chunking defaults. */
export const CHUNKING_DEFAULTS = { maxCharacters: 500, overlap: 0 } as const;

export const ChunkingConfigSchema = z
  .object({
    strategy: z.enum(['basic', 'by_title'], { error: 'must be "basic" or "by_title" (--chunking-strategy)' }),
    /** Hard maximum chunk length in code points; a longer element is text-split. */
    maxCharacters: count('--chunk-max-characters')
      .positive({ error: 'must be > 0 (--chunk-max-characters)' })
      .default(CHUNKING_DEFAULTS.maxCharacters),
    /** Soft maximum: a chunk this long takes no further element. Defaults to, and is capped at, maxCharacters. */
    newAfterNChars: count('--chunk-new-after-n-chars')
      .nonnegative({ error: 'must be >= 0 (--chunk-new-after-n-chars)' })
      .optional(),
    /** by_title only: merge a section shorter than this into the next when both fit. Default maxCharacters. */
    combineTextUnderNChars: count('--chunk-combine-text-under-n-chars')
      .nonnegative({ error: 'must be >= 0 (--chunk-combine-text-under-n-chars)' })
      .optional(),
    /** Characters of the previous chunk's tail prefixed to a text-split chunk (and to every chunk with overlapAll). */
    overlap: count('--chunk-overlap')
      .nonnegative({ error: 'must be >= 0 (--chunk-overlap)' })
      .default(CHUNKING_DEFAULTS.overlap),
    overlapAll: z.boolean().default(false),
    includeOrigElements: z.boolean().default(true),
    /** by_title only: when false a page change starts a new section. */
    multipageSections: z.boolean().default(true),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.overlap >= c.maxCharacters) {
      ctx.addIssue({
        code: 'custom',
        path: ['overlap'],
        message: `must be less than maxCharacters, got ${c.overlap} >= ${c.maxCharacters} (lower --chunk-overlap or raise --chunk-max-characters)`,
      });
    }
    if (c.combineTextUnderNChars !== undefined && c.combineTextUnderNChars > c.maxCharacters) {
      ctx.addIssue({
        code: 'custom',
        path: ['combineTextUnderNChars'],
        message: `must not exceed maxCharacters, got ${c.combineTextUnderNChars} > ${c.maxCharacters} (lower --chunk-combine-text-under-n-chars)`,
      });
    }
  });

export type ChunkingConfigInput = z.input<typeof ChunkingConfigSchema>;
export type ChunkingConfig = z.output<typeof ChunkingConfigSchema>;

/** The effective limits, after Unstructured's defaulting and capping rules. */
export interface ChunkingOptions {
  strategy: ChunkingConfig['strategy'];
  hardMax: number;
  softMax: number;
  /** 0 for basic, which never combines. */
  combineUnder: number;
  /** Overlap used when text-splitting an oversized chunk. */
  overlap: number;
  /** Overlap between chunks made of whole elements (overlapAll). */
  interChunkOverlap: number;
  includeOrigElements: boolean;
  multipageSections: boolean;
}

export function parseChunkingConfig(input: unknown): ChunkingConfig {
  const parsed = ChunkingConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`invalid chunking config: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function resolveChunkingOptions(config: ChunkingConfig): ChunkingOptions {
  const hardMax = config.maxCharacters;
  const softMax = Math.min(config.newAfterNChars ?? hardMax, hardMax);
  const combineUnder = config.strategy === 'by_title' ? Math.min(config.combineTextUnderNChars ?? hardMax, softMax) : 0;
  return {
    strategy: config.strategy,
    hardMax,
    softMax,
    combineUnder,
    overlap: config.overlap,
    interChunkOverlap: config.overlapAll ? config.overlap : 0,
    includeOrigElements: config.includeOrigElements,
    multipageSections: config.multipageSections,
  };
}
