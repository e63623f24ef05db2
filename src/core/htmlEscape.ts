// HTML escaping as the two writers whose bytes we reproduce do it: Python's html.escape (Unstructured's cell text) and
// lxml's serializer (tables re-serialized by the chunker). Every character has one entity; the writers differ only in
// which characters they escape, so each flavour is a character set over the one table.

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

const PY_QUOTE = /[&<>"']/g;
const PY_NO_QUOTE = /[&<>]/g;
const LXML_TEXT = /[&<>\r]/g;
const LXML_ATTRIBUTE = /[&<>"\r\n\t]/g;

const entity = (ch: string): string => ENTITIES[ch]!;

/** Python's html.escape(text, quote): &, < and >, and with quote (the default) " and ' too. */
export function pyHtmlEscape(text: string, quote = true): string {
  return text.replace(quote ? PY_QUOTE : PY_NO_QUOTE, entity);
}

/** Text content as lxml's etree.tostring writes it: &, <, > and carriage returns. */
export function lxmlEscapeText(text: string): string {
  return text.replace(LXML_TEXT, entity);
}

/** A double-quoted attribute value as lxml writes it: also ", and tabs and newlines as character references. */
export function lxmlEscapeAttribute(value: string): string {
  return value.replace(LXML_ATTRIBUTE, entity);
}
