// What every partitioner produces before ids, metadata and languages are added (html.ts finishElements): the
// element's type and text with the few fields the source itself tells.

export interface Annotations {
  emphasized_text_contents?: string[];
  emphasized_text_tags?: string[];
  link_texts?: string[];
  link_urls?: string[];
}

export interface RawElement extends Annotations {
  type: string;
  text: string;
  category_depth?: number;
  text_as_html?: string;
  image_url?: string;
  image_base64?: string;
  image_mime_type?: string;
  page_number?: number;
  /** Sheet name of a spreadsheet element. */
  page_name?: string;
  /** Which pages a DOCX header or footer is on: primary, first_page or even_page. */
  header_footer_type?: string;
}
