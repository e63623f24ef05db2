// What the local partitioner may do differently from Unstructured, by the job's choice: safe for workflow input.
import { z } from 'zod';

export const PartitionOptionsSchema = z.object({
  /**
   * Drop Confluence emoticons from pages. Unstructured reads each as an Image element (alt text "(tick)", ":smile:")
   * that splits its sentence in two; dropping them keeps the sentence whole, at the cost of the reference's output.
   */
  dropEmoticons: z.boolean().default(false),
});
export type PartitionOptions = z.infer<typeof PartitionOptionsSchema>;
