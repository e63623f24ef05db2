// zod schemas of the responses we read. Objects are open (extra fields are fine); only fields we use are declared.
// Nullable exactly where recorded real responses carry null despite the spec (see BRIEF.md).
import { z } from 'zod';

/** Ids are strings in v2 JSON and integers in v1 (space ids); we carry strings. */
export const Id = z.union([z.string().min(1), z.number().int()]).transform(String);

const Links = z.object({ next: z.string().optional(), base: z.string().optional() }).optional();

export function v2List<T extends z.ZodType>(item: T) {
  return z.object({ results: z.array(item), _links: Links });
}

export function v1List<T extends z.ZodType>(item: T) {
  return z.object({
    results: z.array(item),
    start: z.number().int().optional(),
    size: z.number().int().optional(),
    _links: Links,
  });
}

export const V2Space = z.object({ id: Id, key: z.string().min(1), name: z.string(), type: z.string().optional() });

export const V2Page = z.object({
  id: Id,
  title: z.string(),
  spaceId: Id,
  status: z.string().optional(),
  createdAt: z.string().optional(),
  parentId: Id.nullable().optional(),
  version: z.object({ number: z.number().int(), createdAt: z.string().optional() }),
  _links: z.object({ webui: z.string() }),
});

export const V2PageWithBody = V2Page.extend({
  body: z.object({ view: z.object({ value: z.string() }) }),
  _links: z.object({ webui: z.string(), base: z.string().optional() }),
});

export const V1Space = z.object({ id: Id, key: z.string().min(1), name: z.string() });

export const V1Content = z.object({
  id: Id,
  type: z.string(),
  title: z.string(),
  status: z.string().optional(),
  version: z.object({ number: z.number().int(), when: z.string().optional() }),
  _links: z.object({ webui: z.string() }),
});

export const V1ContentWithBody = V1Content.extend({
  space: V1Space,
  history: z.object({ createdDate: z.string().optional() }).optional(),
  body: z.object({ view: z.object({ value: z.string() }) }),
  _links: z.object({ webui: z.string(), base: z.string().optional() }),
});
