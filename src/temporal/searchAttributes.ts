// Search attributes an ingest keeps current (once per listing batch), so the Temporal UI can filter and show progress.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  site: defineSearchAttributeKey('DurableIngestSite', SearchAttributeType.KEYWORD),
  spaces: defineSearchAttributeKey('DurableIngestSpaces', SearchAttributeType.KEYWORD_LIST),
  done: defineSearchAttributeKey('DurableIngestPagesDone', SearchAttributeType.INT),
  failed: defineSearchAttributeKey('DurableIngestPagesFailed', SearchAttributeType.INT),
};

/** `name=Type` as `temporal server start-dev --search-attribute` and `temporal operator search-attribute create` take them. */
export const SEARCH_ATTRIBUTE_ARGS = ['DurableIngestSite=Keyword', 'DurableIngestSpaces=KeywordList', 'DurableIngestPagesDone=Int', 'DurableIngestPagesFailed=Int'];
