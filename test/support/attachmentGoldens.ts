// How closely our file partitioners agree with Python Unstructured on the attachment corpus
// (test/fixtures/partition/attachments/, goldens by scripts/goldens/make_attachment_goldens.py), per format.
// Used by test/unit/partition-attachment-goldens.test.ts and bench/attachment-goldens.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Element } from '../../src/core/elements';
import { normalizeSpace } from '../../src/core/pyText';
import { partitionFile } from '../../src/steps/partition/file';
import { lcsPairs } from './lcs';

const FIXTURES = join(__dirname, '..', 'fixtures', 'partition');
const ATTACHMENTS = join(FIXTURES, 'attachments');
const GOLDENS = join(FIXTURES, 'attachment-goldens');

export interface FileAgreement {
  file: string;
  format: string;
  /** Elements of the golden matched in order, with the same type and normalized text. */
  agree: number;
  golden: number;
  ours: number;
  /** What differs, one line each, for a person to read. */
  differences: string[];
  /** Elements that agree but whose METADATA_KEYS differ, one line each. */
  metadataDifferences: string[];
}

export interface FormatAgreement {
  files: number;
  agree: number;
  golden: number;
  ours: number;
  /** agree / golden over all the format's files. */
  ratio: number;
}

/** A golden element as Python wrote it; our Element has the same shape. */
type Golden = Pick<Element, 'type' | 'text' | 'element_id' | 'metadata'>;

/**
 * Metadata that must agree on the elements that agree. Not parent_id, which follows the types of the elements before
 * (a heading typed otherwise re-parents what follows it), nor languages: Python asks langdetect and we franc, and they
 * differ on tables of names and numbers.
 */
const METADATA_KEYS = [
  'page_number',
  'page_name',
  'category_depth',
  'text_as_html',
  'header_footer_type',
  'filetype',
  'filename',
];

/**
 * What must agree: the type and the text with runs of whitespace made one space (a line break inside a
 * paragraph is layout, not content; CodeSnippets included, whose indentation both sides keep alike anyway).
 */
const key = (e: Golden): string => `${e.type}\u0000${normalizeSpace(e.text)}`;

/**
 * The measure: the longest common subsequence of (type, normalized text) pairs between our elements and the
 * golden's, divided by the golden's count. An element counts only when both its type and its text agree, in
 * order, so a merged or split paragraph, a wrong type, a missing or reordered element each cost what they
 * cost a reader; our extra elements (text Python drops) do not raise the score, and they are listed. Per
 * format the counts are summed over its files before dividing, so a long file weighs what its elements weigh.
 */
export async function fileAgreement(file: string): Promise<FileAgreement> {
  const golden = JSON.parse(readFileSync(join(GOLDENS, `${file}.json`), 'utf8')) as Golden[];
  const result = await partitionFile(join(ATTACHMENTS, file));
  const ours: Golden[] = result.status === 'partitioned' ? result.elements : [];
  const pairs = lcsPairs(ours, golden, key, key);
  const oursMatched = new Set(pairs.map(([i]) => i));
  const goldenMatched = new Set(pairs.map(([, j]) => j));
  const show = (e: Golden) => `${e.type} ${JSON.stringify(normalizeSpace(e.text).slice(0, 80))}`;
  const differences = [
    ...(result.status === 'skipped' ? [`skipped: ${result.reason}`] : []),
    ...golden.filter((_, j) => !goldenMatched.has(j)).map((e) => `only python: ${show(e)}`),
    ...ours.filter((_, i) => !oursMatched.has(i)).map((e) => `only ours: ${show(e)}`),
  ];
  const metadataDifferences = pairs.flatMap(([i, j]) => {
    const mine: Record<string, unknown> = { element_id: ours[i]!.element_id, ...ours[i]!.metadata };
    const theirs: Record<string, unknown> = { element_id: golden[j]!.element_id, ...golden[j]!.metadata };
    return ['element_id', ...METADATA_KEYS]
      .filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(theirs[k]))
      .map((k) => `${show(golden[j]!)} ${k}: ours ${JSON.stringify(mine[k])}, python ${JSON.stringify(theirs[k])}`);
  });
  return {
    file,
    format: formatOf(file),
    agree: pairs.length,
    golden: golden.length,
    ours: ours.length,
    differences,
    metadataDifferences,
  };
}

function formatOf(file: string): string {
  return extname(file).slice(1).toLowerCase();
}

export function corpusFiles(): string[] {
  return readdirSync(ATTACHMENTS).sort();
}

export function byFormat(files: readonly FileAgreement[]): Record<string, FormatAgreement> {
  const out: Record<string, FormatAgreement> = {};
  for (const f of files) {
    const sum = (out[f.format] ??= { files: 0, agree: 0, golden: 0, ours: 0, ratio: 0 });
    sum.files++;
    sum.agree += f.agree;
    sum.golden += f.golden;
    sum.ours += f.ours;
    sum.ratio = sum.agree / sum.golden;
  }
  return out;
}
