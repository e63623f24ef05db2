// Unstructured's text classification (partition/text_type.py), used for paragraphs that carry no
// element type of their own (p, div, ...).
import { containsVerb, sentenceCount, wordTokens } from './nlp';
import { codePointLength, isAlpha, isNumeric, isPySpace, isTitle, isUpper, pyStrip } from '../../core/pyText';

export type TextType = 'ListItem' | 'Address' | 'EmailAddress' | 'NarrativeText' | 'Title' | 'UncategorizedText';

const UNAMBIGUOUS_BULLETS =
  '\\x95\\u2022\\u2023\\u2043\\u3164\\u204c\\u204d\\u2219\\u25cb\\u25cf\\u25d8\\u25e6\\u2619\\u2765\\u2767\\u29be\\u29bf\\uf0b7*\\u00b7';
const ANY_BULLET = `[${UNAMBIGUOUS_BULLETS}\\-\\u2013]`;
// "-" and "–" count as bullets only at the start of a line and before whitespace, so "-12" stays a number.
const BULLET = new RegExp(`^(?:[${UNAMBIGUOUS_BULLETS}]|[\\-\\u2013](?=\\s|$))(?!${ANY_BULLET})`);

const US_STATES =
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|' +
  'Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|' +
  'Montana|Nebraska|Nevada|New[ ]Hampshire|New[ ]Jersey|New[ ]Mexico|New[ ]York|North[ ]Carolina|North[ ]Dakota|' +
  'Ohio|Oklahoma|Oregon|Pennsylvania|Rhode[ ]Island|South[ ]Carolina|South[ ]Dakota|Tennessee|Texas|Utah|Vermont|' +
  'Virginia|Washington|West[ ]Virginia|Wisconsin|Wyoming|AL|AK|AS|AZ|AR|CA|CO|CT|DE|DC|FM|FL|GA|GU|HI|ID|IL|IN|IA|' +
  'KS|KY|LA|ME|MH|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|MP|OH|OK|OR|PW|PA|PR|RI|SC|SD|TN|TX|UT|VT|VI|VA|' +
  'WA|WV|WI|WY';
const US_CITY_STATE_ZIP = new RegExp(
  `^\\b(?:[A-Z][a-z.-]{1,15}[ ]?){1,5},\\s?(?:${US_STATES})(, |\\s)?(?:\\b\\d{5}(?:-\\d{4})?\\b)`,
  'i',
);
const EMAIL = /^[a-z0-9.\-+_]+@[a-z0-9.\-+_]+\.[a-z]+$/;
const NUMBERED_LIST = /^\d+(\.|\))\s(.+)/;
const ENDS_IN_PUNCT = /[^\p{L}\p{N}_\s]$/u;

export function isBulletedText(text: string): boolean {
  return BULLET.test(pyStrip(text));
}

export function cleanBullets(text: string): string {
  return BULLET.test(text) ? pyStrip(text.replace(BULLET, '')) : text;
}

export function isUsCityStateZip(text: string): boolean {
  return US_CITY_STATE_ZIP.test(pyStrip(text));
}

export function isEmailAddress(text: string): boolean {
  return EMAIL.test(pyStrip(text));
}

export function exceedsCapRatio(text: string, threshold = 0.5): boolean {
  if (sentenceCount(text, 3) > 1) return false;
  if (isUpper(text)) return true;
  const tokens = wordTokens(text).filter(isAlpha);
  if (tokens.length === 0) return true;
  const capitalized = tokens.filter((t) => isTitle(t) || isUpper(t)).length;
  return capitalized / tokens.length > threshold;
}

export function underNonAlphaRatio(text: string, threshold = 0.5): boolean {
  let alpha = 0;
  let total = 0;
  for (const ch of text) {
    if (isPySpace(ch)) continue;
    total++;
    if (isAlpha(ch)) alpha++;
  }
  return total > 0 && alpha / total < threshold;
}

export function isPossibleNarrativeText(text: string): boolean {
  if (text.length === 0 || isNumeric(text)) return false;
  if (exceedsCapRatio(text)) return false;
  if (underNonAlphaRatio(text)) return false;
  return !(sentenceCount(text, 3) < 2 && !containsVerb(text));
}

/** Element type for a paragraph's normalized text; undefined means "drop it" (under 2 characters). */
export function deriveTextType(text: string): TextType | undefined {
  if (isBulletedText(text)) return 'ListItem';
  if (isUsCityStateZip(text)) return 'Address';
  if (isEmailAddress(text)) return 'EmailAddress';
  if (codePointLength(text) < 2) return undefined;
  return isPossibleNarrativeText(text) ? 'NarrativeText' : 'UncategorizedText';
}

export function isPossibleTitle(text: string): boolean {
  if (text.length === 0) return false;
  if (isUpper(text) && ENDS_IN_PUNCT.test(text)) return false;
  if (text.split(' ').length > 12) return false;
  if (underNonAlphaRatio(text) || text.endsWith(',') || isNumeric(text)) return false;
  return sentenceCount(text, 5) <= 1;
}

/** One test of Unstructured's text classification and the type it gives. */
type TextRule = readonly [TextType, (text: string) => boolean];

const BULLETED: TextRule = ['ListItem', isBulletedText];
const EMAIL_ADDRESS: TextRule = ['EmailAddress', isEmailAddress];
const ADDRESS: TextRule = ['Address', isUsCityStateZip];
const NUMBERED: TextRule = ['ListItem', (text) => NUMBERED_LIST.test(pyStrip(text))];
const NARRATIVE: TextRule = ['NarrativeText', isPossibleNarrativeText];
const TITLE: TextRule = ['Title', isPossibleTitle];

// Each partitioner asks its own tests in its own order; the first that holds gives the type.
const firstHolding =
  (rules: readonly TextRule[]) =>
  (text: string): TextType =>
    rules.find(([, holds]) => holds(text))?.[0] ?? 'UncategorizedText';

/** partition_text's element_from_text: plain-text lines and PDF text boxes, which may also be titles. */
export const plainTextType = firstHolding([BULLETED, EMAIL_ADDRESS, ADDRESS, NUMBERED, NARRATIVE, TITLE]);

/** partition_pptx: a paragraph its own properties do not bullet. */
export const slideTextType = firstHolding([EMAIL_ADDRESS, NARRATIVE, TITLE]);

/** partition_xlsx's _create_element: a single-cell row above or below a table. */
export const cellTextType = firstHolding([BULLETED, NUMBERED, NARRATIVE, TITLE]);
