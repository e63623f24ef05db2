import { createHash } from 'node:crypto';

// Unstructured's deterministic id: sha256(f"{filename}{text}{page_number}{seq}")[:32], where Python prints
// a missing value as "None". Matching it byte for byte lets parent_id links and re-runs line up with
// output written by Unstructured itself.
export function elementId(
  filename: string | undefined,
  text: string,
  pageNumber: number | undefined,
  seq: number,
): string {
  const key = `${filename ?? 'None'}${text}${pageNumber ?? 'None'}${seq}`;
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
}

// Assigns ids in order: seq counts the elements seen so far with the same page_number value, as
// Unstructured's _assign_hash_ids does (for HTML page_number is None, so seq is the list position).
export function assignElementIds<T extends { text: string; metadata: { filename?: string; page_number?: number } }>(
  elements: T[],
): string[] {
  const seqByPage = new Map<number | undefined, number>();
  return elements.map((el) => {
    const page = el.metadata.page_number;
    const seq = seqByPage.get(page) ?? 0;
    seqByPage.set(page, seq + 1);
    return elementId(el.metadata.filename, el.text, page, seq);
  });
}
