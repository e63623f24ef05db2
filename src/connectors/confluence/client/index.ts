// Public surface of the Confluence client.
export { createConfluenceClient, type ClientOptions } from './client';
export type { ConfluenceClient, ContentQuery, PageQuery, SpaceQuery } from './clientTypes';
export { ConfluenceConfigError, ConfluenceError, type ConfluenceErrorKind } from './errors';
export { confluenceFailureType, toActivityFailure } from './failures';
export { resolveAuth, type AuthInput } from './auth';
export { closeConfluencePools } from './pool';
export { withCloudId } from './tenant';
export { cqlString } from './cql';
export type * from './types';
