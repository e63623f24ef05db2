// A slide's shapes in the order partition_pptx reads them: groups opened, then sorted by where each sits on the slide,
// top to bottom and left to right. A placeholder that does not say where it is sits where its slide layout's
// placeholder of the same index does, or else where the slide master's placeholder of its kind does (python-pptx's
// inheritance), so a deck's reading order does not depend on the order its shapes were drawn in.
import { deep, kids, type Parts, relationships, type XmlElement, xml } from './ooxml';

export interface Position {
  top: number;
  left: number;
}

// python-pptx's LayoutPlaceholder._base_placeholder: the master placeholder a layout placeholder of a type inherits
// from.
const MASTER_KIND: Record<string, string> = {
  title: 'title',
  ctrTitle: 'title',
  dt: 'dt',
  ftr: 'ftr',
  sldNum: 'sldNum',
};

const placeholder = (shape: XmlElement): XmlElement | undefined => [...deep(shape, 'p:ph')][0];
const kindOf = (ph: XmlElement): string => ph.attribs.type ?? 'obj';

/** The shape's own offset: p:spPr/a:xfrm/a:off, or a graphic frame's p:xfrm/a:off. */
function ownPosition(shape: XmlElement): Position | undefined {
  const xfrm = kids(shape, 'p:xfrm')[0] ?? kids(kids(shape, 'p:spPr')[0] ?? shape, 'a:xfrm')[0];
  const off = xfrm && kids(xfrm, 'a:off')[0];
  return off ? { top: Number(off.attribs.y ?? 0), left: Number(off.attribs.x ?? 0) } : undefined;
}

function shapesOf(root: XmlElement | undefined): XmlElement[] {
  const tree = root && [...deep(root, 'p:spTree')][0];
  return tree ? flatten(tree) : [];
}

function flatten(tree: XmlElement): XmlElement[] {
  return kids(tree).flatMap((node) => (node.name === 'p:grpSp' ? flatten(node) : [node]));
}

/** The part a part's relationships lead to in `folder` (a slide's layout, a layout's master). */
function related(parts: Parts, path: string, folder: string): string | undefined {
  return [...relationships(parts, path).values()].find((target) => target.includes(`/${folder}/`));
}

/** The slide's shapes (groups opened) sorted by position, each with where it sits. */
export function slideShapes(parts: Parts, slidePath: string): { shape: XmlElement; position: Position }[] {
  const layoutPath = related(parts, slidePath, 'slideLayouts');
  const masterPath = layoutPath && related(parts, layoutPath, 'slideMasters');
  const layout = shapesOf(layoutPath ? xml(parts, layoutPath) : undefined);
  const master = shapesOf(masterPath ? xml(parts, masterPath) : undefined);
  const inMaster = (kind: string): Position | undefined => {
    const base = MASTER_KIND[kind] ?? 'body';
    const shape = master.find((s) => placeholder(s) && kindOf(placeholder(s)!) === base);
    return shape && ownPosition(shape);
  };
  const inLayout = (ph: XmlElement): Position | undefined => {
    const idx = ph.attribs.idx ?? '0';
    const shape = layout.find((s) => placeholder(s) && (placeholder(s)!.attribs.idx ?? '0') === idx);
    const base = shape && placeholder(shape);
    return shape && base ? (ownPosition(shape) ?? inMaster(kindOf(base))) : undefined;
  };
  const positionOf = (shape: XmlElement): Position => {
    const ph = placeholder(shape);
    return ownPosition(shape) ?? (ph ? inLayout(ph) : undefined) ?? { top: 0, left: 0 };
  };
  return shapesOf(xml(parts, slidePath))
    .map((shape) => ({ shape, position: positionOf(shape) }))
    .sort((a, b) => a.position.top - b.position.top || a.position.left - b.position.left);
}
