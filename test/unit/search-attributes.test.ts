// Search attribute values an ingest upserts stay within the server's per-value limit, whatever the site and spaces.
import { expect, it } from 'vitest';
import { searchAttributeValues } from '../../src/temporal/searchAttributes';

const bytes = (text: string) => Buffer.byteLength(text);

it('keeps the space list and the site URL under 2 KB however many spaces and however long the URL', () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `SPACE${i}`);
  const url = `https://x.atlassian.net/wiki/${'ü'.repeat(3000)}`;
  const { site, spaces } = searchAttributeValues(url, keys);
  expect(bytes(spaces.join('   '))).toBeLessThan(2048);
  expect(spaces.length).toBeGreaterThan(100);
  expect(spaces).toEqual(keys.slice(0, spaces.length));
  expect(bytes(site)).toBeLessThan(2048);
  expect(url.startsWith(site)).toBe(true);
});

it('leaves small values as they are', () => {
  expect(searchAttributeValues('https://x.atlassian.net', ['ENG', 'OPS'])).toEqual({
    site: 'https://x.atlassian.net',
    spaces: ['ENG', 'OPS'],
  });
});
