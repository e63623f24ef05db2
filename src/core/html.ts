// Escaping text for HTML.

/** &, < and > only: the escaping of text between tags (quotes are left as they are). */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
