// How Unstructured's loader (elements_from_dicts) reads an element's `type`: aliases collapse onto one
// class, and the class decides chunking behaviour (Title starts a section, Table is isolated,
// CodeSnippet keeps its whitespace). Chunk output and orig_elements carry the class's own name.

export type Kind = 'title' | 'table' | 'code' | 'text';

interface TypeInfo {
  category: string;
  kind: Kind;
}

const ALIASES: Record<string, string[]> = {
  Title: ['Title', 'Section-header', 'Headline', 'Subheadline', 'Field-Name'],
  NarrativeText: ['NarrativeText', 'Text', 'Paragraph', 'Abstract', 'Threading', 'Value', 'Link'],
  ListItem: ['ListItem', 'BulletedText', 'List-item'],
  Header: ['Header', 'Page-header'],
  Footer: ['Footer', 'Page-footer', 'Footnote'],
  FigureCaption: ['FigureCaption', 'Caption'],
  Image: ['Image', 'Figure', 'Picture'],
};

const PLAIN = [
  'UncategorizedText',
  'CompositeElement',
  'Form',
  'Address',
  'EmailAddress',
  'Formula',
  'PageBreak',
  'PageNumber',
  'FormKeysValues',
  'DocumentData',
  'CheckBox',
];

const KIND: Record<string, Kind> = { Title: 'title', Table: 'table', TableChunk: 'table', CodeSnippet: 'code' };

const TYPES = new Map<string, TypeInfo>();
for (const [category, aliases] of Object.entries(ALIASES)) {
  for (const alias of aliases) TYPES.set(alias, { category, kind: KIND[category] ?? 'text' });
}
for (const category of [...PLAIN, 'Table', 'TableChunk', 'CodeSnippet']) {
  TYPES.set(category, { category, kind: KIND[category] ?? 'text' });
}

export function typeInfo(type: string, index: number): TypeInfo {
  const info = TYPES.get(type);
  if (!info) {
    throw new Error(
      `element ${index} has unknown type "${type}"; chunking takes Unstructured element types (${[...TYPES.keys()].join(', ')})`,
    );
  }
  return info;
}
