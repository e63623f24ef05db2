// Lightweight references that flow through workflow history: small, no bodies, no secrets.

export interface SpaceRef {
  id: string;
  key: string;
  name: string;
}

export interface PageRef {
  id: string;
  title: string;
  spaceId: string;
  spaceKey: string;
  version: number;
  createdAt?: string;
  modifiedAt?: string;
  /** Absolute URL of the page in the Confluence UI. */
  url: string;
}

/** One API page of results and the cursor for the next one (undefined when done). */
export interface Listing<T> {
  items: T[];
  next?: string;
}
