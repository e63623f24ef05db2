// Document language as ISO 639-3 codes, following Unstructured's apply_lang_metadata: short ASCII text
// is English; otherwise detect over the whole document, and per element when the document is mixed.
// Unstructured uses langdetect; we use franc (maintained, offline, ISO 639-3), limited to the
// languages langdetect knows and reporting macrolanguage codes the way Unstructured's iso639 lookup does.
import { francAll } from 'franc';
import { memoized } from './memo';
import { pySplit } from '../../core/pyText';

const AS_UNSTRUCTURED: Record<string, string> = {
  arb: 'ara',
  ekk: 'est',
  pes: 'fas',
  lvs: 'lav',
  npi: 'nep',
  nob: 'nor',
  nno: 'nor',
  als: 'sqi',
  swh: 'swa',
  cmn: 'zho',
};
const LANGDETECT_LANGUAGES = (
  'afr arb bul ben cat ces dan deu ell eng spa ekk pes fin fra guj heb hin hrv hun ind ita jpn kan kor lit lvs mkd ' +
  'mal mar npi nld nob nno pan pol por ron rus slk slv som als swe swh tam tel tha tgl tur ukr urd vie cmn'
).split(' ');

const ASCII = /^[\x00-\x7f]+$/;
/** franc reads at most this many characters of a text. */
const FRANC_MAX_LENGTH = 2048;
/**
 * langdetect reports a second language only when the text really mixes two, which shows up in franc as a near-tie:
 * a trigram distance within one trigram's worth (franc's 300) of the best. franc's score divides the distance by
 * 300 x the text's length, so the tie is `(1 - score) x length < 1`. A fixed score cut (0.98 before) made every long
 * page "mixed": long texts score every Latin-script language above 0.99. Then each element was detected on its own,
 * slowly, and unlike Unstructured (38 of 40 simulator pages differed from it).
 */
const NEAR_TIE_DISTANCE = 1;

export function detectLanguages(text: string): string[] | undefined {
  if (text.trim() === '') return undefined;
  if (ASCII.test(text) && pySplit(text).length < 5) return ['eng'];
  return rankLanguages(text);
}

// Per element, a page's repeated headings and panel titles are asked about again and again.
const rankLanguages = memoized(2048, (text: string): string[] | undefined => {
  const ranked = francAll(text, { minLength: 1, only: LANGDETECT_LANGUAGES });
  if (!ranked[0] || ranked[0][0] === 'und') return undefined;
  const length = Math.min(text.length, FRANC_MAX_LENGTH);
  const present = ranked.filter(([, score], i) => i === 0 || (1 - score) * length < NEAR_TIE_DISTANCE);
  return [...new Set(present.map(([lang]) => AS_UNSTRUCTURED[lang] ?? lang))];
});

/** languages per element: the document's language when it has one, else each element's own. */
export function elementLanguages(texts: readonly string[]): (string[] | undefined)[] {
  const whole = detectLanguages(texts.filter(Boolean).join(' '));
  if (whole && whole.length === 1) return texts.map(() => whole);
  return texts.map((t) => detectLanguages(t));
}
