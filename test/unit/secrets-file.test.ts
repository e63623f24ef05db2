// The worker's secrets file: credentials by site and endpoint (JSON), or the flat form (JSON keys or KEY=value lines)
// for
// the one site in CONFLUENCE_URL; refused when others can read it, never echoing a value.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretsFile } from '../../src/cli/secretsFile';
import { errorOf } from '../support/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-file-'));
let n = 0;

function secretFile(content: string, mode = 0o600): string {
  const file = path.join(dir, `s${n++}`);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

describe('loadSecretsFile', () => {
  it('reads a flat JSON file', () => {
    const file = secretFile(JSON.stringify({ apiToken: 'tok-1', embeddingApiKey: 'emb-1' }));
    expect(loadSecretsFile(file)).toMatchObject({ flat: { apiToken: 'tok-1', embeddingApiKey: 'emb-1' }, scope: {} });
  });

  it('reads credentials by site and endpoint', () => {
    const content = {
      sites: {
        'https://x.atlassian.net': { apiToken: 'tok-1' },
        'https://confluence.example.com/confluence': { password: 'pw-1', token: 'pat-1' },
        'https://y.atlassian.net/wiki': { oauthToken: 'oauth-1', gatewayUrl: 'https://gateway.example.com' },
      },
      endpoints: {
        'https://api.unstructuredapp.io': { apiKey: 'unst-1' },
        'http://embed.internal:8080/v1': { apiKey: 'emb-1' },
      },
    };
    expect(loadSecretsFile(secretFile(JSON.stringify(content)))).toEqual({ flat: {}, scope: {}, table: content });
  });

  it('reads KEY=value lines with comments, export, quotes, and ignores other settings', () => {
    const file = secretFile(
      [
        '# worker secrets',
        'CONFLUENCE_URL=https://example.atlassian.net',
        'export CONFLUENCE_PASSWORD="p ss#word"',
        "CONFLUENCE_PERSONAL_ACCESS_TOKEN='pat-1'",
        'UNSTRUCTURED_API_KEY=unst-1 # trailing comment',
        'CONFLUENCE_API_TOKEN=',
        '',
      ].join('\n'),
    );
    expect(loadSecretsFile(file)).toEqual({
      flat: { password: 'p ss#word', token: 'pat-1', unstructuredApiKey: 'unst-1' },
      scope: { siteUrl: 'https://example.atlassian.net' },
      table: {},
    });
  });

  it('refuses a file readable by group or others, naming chmod 600', () => {
    for (const mode of [0o640, 0o604, 0o644]) {
      const file = secretFile('{"apiToken":"tok"}', mode);
      const message = errorOf(() => loadSecretsFile(file));
      expect(message).toContain(`chmod 600 ${file}`);
      expect(message).not.toContain('\n');
    }
  });

  it('names a missing file', () => {
    expect(errorOf(() => loadSecretsFile(path.join(dir, 'absent')))).toMatch(
      /cannot read secrets file .*absent: ENOENT/,
    );
  });

  it('never echoes a value in its errors', () => {
    const secret = 'sup3r-s3cret-value';
    const cases = [
      `{"apiToken": "${secret}",}`, // invalid JSON: JSON.parse's own message would quote the text
      `{"apiToken": "${secret}", "apiTokn": "${secret}"}`,
      `{"apiToken": ["${secret}"]}`,
      `CONFLUENCE_API_TOKEN ${secret}`,
      `OTHER=${secret}`,
    ];
    const messages = cases.map((content) => errorOf(() => loadSecretsFile(secretFile(content))));
    for (const message of messages) {
      expect(message).not.toContain(secret);
      expect(message).not.toContain('\n');
    }
    expect(messages[0]).toMatch(/not valid JSON/);
    expect(messages[1]).toMatch(/unknown key\(s\) apiTokn/);
    expect(messages[2]).toMatch(/apiToken must be a non-empty string/);
    expect(messages[3]).toMatch(/line 1 is not KEY=value/);
    expect(messages[4]).toMatch(/holds no secret/);
  });

  it('names the site or endpoint key at fault in one line, never its value', () => {
    const secret = 'sup3r-s3cret-value';
    const cases: Array<[unknown, RegExp]> = [
      [
        { sites: { 'https://x.atlassian.net': { apiTokn: secret } } },
        /sites\["https:\/\/x\.atlassian\.net"\]: unknown key\(s\) apiTokn; known keys are apiToken, password, token, oauthToken, gatewayUrl/,
      ],
      [
        { sites: { 'https://x.atlassian.net': { gatewayUrl: 'https://g.example.com' } } },
        /sites\["https:\/\/x\.atlassian\.net"\] holds no credential/,
      ],
      [
        { sites: { 'https://x.atlassian.net': { apiToken: [secret] } } },
        /sites\["https:\/\/x\.atlassian\.net"\]\.apiToken must be a non-empty string/,
      ],
      [{ sites: { 'https://x.atlassian.net': secret } }, /sites\["https:\/\/x\.atlassian\.net"\] must be an object/],
      [{ sites: [secret] }, /sites must be an object of URLs to entries/],
      [
        { endpoints: { 'https://api.unstructuredapp.io': { key: secret } } },
        /endpoints\["https:\/\/api\.unstructuredapp\.io"\]: unknown key\(s\) key; known keys are apiKey/,
      ],
      [{ sites: { 'x.atlassian.net': { apiToken: secret } } }, /sites key "x\.atlassian\.net" is not a URL/],
      [
        { sites: { 'ftp://x.example.com': { apiToken: secret } } },
        /sites key "ftp:\/\/x\.example\.com" must be an http or https URL/,
      ],
      [
        { endpoints: { 'https://api.example.com?team=1': { apiKey: secret } } },
        /endpoints key .* must not have a query/,
      ],
      [
        {
          sites: { 'https://X.atlassian.net': { apiToken: secret }, 'https://x.atlassian.net/': { apiToken: secret } },
        },
        /sites keys .* name the same URL; keep one/,
      ],
      [
        { sites: { 'https://x.atlassian.net': { oauthToken: secret, gatewayUrl: 'gateway' } } },
        /gatewayUrl "gateway" is not a URL/,
      ],
      [
        { site: { 'https://x.atlassian.net': { apiToken: secret } } },
        /unknown key\(s\) site; known keys are sites, endpoints, apiToken/,
      ],
    ];
    for (const [content, expected] of cases) {
      const message = errorOf(() => loadSecretsFile(secretFile(JSON.stringify(content))));
      expect(message).toMatch(expected);
      expect(message).not.toContain(secret);
      expect(message).not.toContain('\n');
    }
  });
});
