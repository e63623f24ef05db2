// Stand-ins for the spaCy calls in Unstructured's text classification: word tokens, sentence
// boundaries and "does this contain a verb". Unstructured asks spaCy's en_core_web_sm; we ask
// compromise (a maintained, dependency-free English tagger), whose Verb tag covers the Penn VB* set.
// compromise/two is the tokenizer + tagger without the phrase-level API: all this needs, and faster.
import nlp from 'compromise/two';
import { memoized } from './memo';
import { isUpper, pySplit } from '../../core/pyText';

const CLITIC = /^(.+?)(n't|'s|'re|'ve|'ll|'d|'m)$/i;
const EDGE_PUNCT = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
// spaCy splits hyphens and slashes between letters into their own tokens.
const INFIX = /(?<=\p{L})[-/](?=\p{L})/u;

/** Word tokens close to spaCy's tokenizer for the purpose they serve: finding alphabetic words. */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const chunk of pySplit(text)) {
    for (const part of chunk.split(INFIX)) {
      const core = part.replace(EDGE_PUNCT, '');
      if (core === '') continue;
      const clitic = CLITIC.exec(core);
      tokens.push(clitic ? clitic[1]! : core);
    }
  }
  return tokens;
}

const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'no',
  'fig',
  'approx',
  'inc',
  'ltd',
]);

/** Sentences: split after . ! ? followed by space and a capital or digit, except after abbreviations. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  const words = pySplit(text);
  let current: string[] = [];
  words.forEach((word, i) => {
    current.push(word);
    const next = words[i + 1];
    const ends = /[.!?]["')\]]*$/.test(word) && !ABBREVIATIONS.has(word.replace(/[.!?"')\]]+$/, '').toLowerCase());
    if (ends && next !== undefined && /^["'([]?[\p{Lu}\p{N}]/u.test(next)) {
      out.push(current.join(' '));
      current = [];
    }
  });
  if (current.length > 0) out.push(current.join(' '));
  return out;
}

const PUNCT = /\p{P}/gu;

/** Unstructured's sentence_count(text, min_length): sentences with at least min_length words. */
export function sentenceCount(text: string, minLength?: number): number {
  const all = sentences(text);
  if (minLength === undefined) return all.length;
  return all.filter((s) => pySplit(s.replace(PUNCT, '')).filter((t) => t !== '.').length >= minLength).length;
}

interface Term {
  text: string;
  tags: Set<string>;
}

const has = (term: Term | undefined, tag: string): boolean => term?.tags.has(tag) ?? false;

// Where compromise and spaCy's en_core_web_sm (trained on news text) disagree on the short,
// heading-like fragments common in wiki pages, follow spaCy: it reads "Release notes" and
// "Build status" as noun compounds, "Updated weekly" (or "and verified", the end of a sentence an emoticon cut
// short) as a participle, and "This section groups
// the runbooks" as a verb between two noun phrases.
// The same holds for two patterns of slide bullets and headings that spaCy reads by their grammar: a present-tense
// form right after a preposition or subordinator has no subject, so it is a plural noun ("before deploys"); and a
// bare verb form coordinated with a noun is a noun ("Sales and support").
function isVerbAt(terms: Term[], i: number): boolean {
  const term = terms[i]!;
  const next = terms[i + 1];
  const prev = terms[i - 1];
  const startsFragment = i === 0 || (i === 1 && /^(and|or|but)$/i.test(prev!.text));
  if (startsFragment && has(term, 'Adjective') && /ed$/i.test(term.text)) return true;
  if (has(term, 'Plural') && has(prev, 'Noun') && has(terms[i - 2], 'Determiner') && has(next, 'Determiner'))
    return true;
  if (!has(term, 'Verb')) return false;
  const nounCompound =
    i === 0 &&
    has(term, 'Imperative') &&
    has(next, 'Noun') &&
    !has(next, 'Pronoun') &&
    !/^(here|there)$/i.test(next!.text);
  const subjectless = has(term, 'PresentTense') && /s$/i.test(term.text) && isSubordinator(prev);
  const coordinatedNoun = has(term, 'Infinitive') && /^(and|or)$/i.test(prev?.text ?? '') && has(terms[i - 2], 'Noun');
  return !nounCompound && !subjectless && !coordinatedNoun;
}

const isSubordinator = (term: Term | undefined): boolean =>
  has(term, 'Preposition') || (has(term, 'Conjunction') && !/^(and|or|but|nor)$/i.test(term!.text));

// Tagging costs about a millisecond per paragraph, hence the memo (Unstructured keeps spaCy's answers too).
export const containsVerb = memoized(1024, (text: string): boolean => {
  const input = isUpper(text) ? text.toLowerCase() : text;
  const sentencesTerms = nlp(input).document as Term[][];
  return sentencesTerms.some((terms) => terms.some((_, i) => isVerbAt(terms, i)));
});
