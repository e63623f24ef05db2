// Public surface of the Confluence client.
export { createConfluenceClient, type ClientOptions, type ConfluenceClient, type PageQuery, type SpaceQuery } from './client';
export { ConfluenceConfigError, ConfluenceError, type ConfluenceErrorKind } from './errors';
export { resolveAuth, type AuthInput } from './auth';
export { closeConfluencePools } from './pool';
export type { Listing, PageRef, SpaceRef } from './types';
