import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMENTS_NAME } from '../../../src/connectors/confluence/comments';
import { assignSafeNames } from '../../../src/connectors/confluence/extract/safeName';
import { localUploader } from '../../../src/destinations/local';

describe('paths that come from the server or the checkpoint', () => {
  it('an attachment named "comments" does not take the name of the page\'s comments document', () => {
    const names = assignSafeNames(
      [
        { key: 'att1', name: 'Comments' },
        { key: 'att2', name: 'notes.txt' },
      ],
      [COMMENTS_NAME],
    );
    expect(names.get('att1')).toMatch(/^Comments~[0-9a-f]{8}$/);
    expect(names.get('att2')).toBe('notes.txt');
  });

  it('--delete-missing refuses a checkpoint path outside the output dir and deletes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'remove-'));
    const victim = join(root, 'victim.txt');
    const inside = join(root, 'out', 'DOC', '1.html.json');
    writeFileSync(victim, 'keep me');
    const uploader = localUploader(join(root, 'out'));
    await expect(uploader.remove([inside, join(root, 'out', '..', 'victim.txt')])).rejects.toThrow(
      `refusing to delete ${victim}: the checkpoint names it but it is outside the output dir`,
    );
    expect(existsSync(victim)).toBe(true);
  });
});
