// The worker's secrets file: JSON or KEY=value, refused when others can read it, never echoing a value.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretsFile } from '../src/cli/secretsFile';
import { errorOf } from './support/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-file-'));
let n = 0;

function secretFile(content: string, mode = 0o600): string {
  const file = path.join(dir, `s${n++}`);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

describe('loadSecretsFile', () => {
  it('reads a JSON file', () => {
    const file = secretFile(JSON.stringify({ apiToken: 'tok-1', embeddingApiKey: 'emb-1' }));
    expect(loadSecretsFile(file)).toEqual({ apiToken: 'tok-1', embeddingApiKey: 'emb-1' });
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
    expect(loadSecretsFile(file)).toEqual({ password: 'p ss#word', token: 'pat-1', unstructuredApiKey: 'unst-1' });
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
    expect(errorOf(() => loadSecretsFile(path.join(dir, 'absent')))).toMatch(/cannot read secrets file .*absent: ENOENT/);
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
});
