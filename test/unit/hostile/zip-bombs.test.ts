import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionFile } from '../../../src/steps/partition/file';
import { withBomb } from './zipBomb';

const FILES = join(__dirname, '..', '..', 'fixtures', 'partition', 'files');
const dir = mkdtempSync(join(tmpdir(), 'zip-bombs-'));

function saved(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('Office files that inflate past the caps', () => {
  it.each([
    ['deck.pptx', 'ppt/slides/slide99.xml'],
    ['runbook.docx', 'word/media/image9.png'],
    ['metrics.xlsx', 'xl/media/image9.png'],
  ])(
    '%s with a 40 MiB entry %s is left out with the reason, its entry never inflated whole',
    async (fixture, entry) => {
      const bomb = withBomb(join(FILES, fixture), entry, 40);
      expect(bomb.length).toBeLessThan(2 ** 20);
      const before = process.memoryUsage().arrayBuffers;
      const result = await partitionFile(saved(fixture, bomb));
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
      expect(result).toMatchObject({ status: 'skipped' });
      expect(result.status === 'skipped' && result.reason).toContain(
        `zip entry ${entry} inflates to more than 32 MiB (the cap per entry); left out: a zip bomb`,
      );
    },
  );

  it('a PPTX whose bomb is a media entry is read without inflating it: only XML parts are unzipped', async () => {
    const bomb = withBomb(join(FILES, 'deck.pptx'), 'ppt/media/video1.bin', 40);
    const result = await partitionFile(saved('media.pptx', bomb));
    expect(result.status).toBe('partitioned');
  });
});
