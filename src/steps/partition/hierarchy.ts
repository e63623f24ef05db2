// Unstructured's set_element_hierarchy: parent_id from element category and category_depth.
// A Title parents following text, list items and tables; same-category elements nest by depth;
// anything else (an Image, a CodeSnippet) ends the open sections, exactly as in the reference.

const TEXT_KINDS = [
  'Text',
  'UncategorizedText',
  'NarrativeText',
  'ListItem',
  'BulletedText',
  'Table',
  'FigureCaption',
  'CheckBox',
] as const;

const CHILDREN_OF: Record<string, readonly string[]> = {
  Title: TEXT_KINDS,
  Header: ['Title', ...TEXT_KINDS],
};

export interface HierarchyNode {
  type: string;
  id: string;
  depth?: number;
}

/** parent id (or undefined) for each element, in order. */
export function parentIds(elements: readonly HierarchyNode[]): (string | undefined)[] {
  const stack: HierarchyNode[] = [];
  return elements.map((element) => {
    const depth = element.depth ?? 0;
    let parent: string | undefined;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const nests =
        top.type === element.type ? (top.depth ?? 0) < depth : (CHILDREN_OF[top.type] ?? []).includes(element.type);
      if (nests) {
        parent = top.id;
        break;
      }
      stack.pop();
    }
    stack.push(element);
    return parent;
  });
}
