import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignSafeNames, MAX_NAME_BYTES, sanitizeFileName } from '../../src/connectors/confluence/extract/safeName';
import { resolveInside } from '../../src/core/safePath';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('sanitizeFileName', () => {
  it('keeps ordinary names as they are', () => {
    expect(sanitizeFileName('Quarterly report 2024.pdf')).toBe('Quarterly report 2024.pdf');
    expect(sanitizeFileName('Übersicht – Ärger.docx')).toBe('Übersicht – Ärger.docx');
  });

  it('reduces traversal and absolute paths to their last component', () => {
    expect(sanitizeFileName('../../evil.txt')).toBe('evil.txt');
    expect(sanitizeFileName('..\\..\\evil.txt')).toBe('evil.txt');
    expect(sanitizeFileName('/etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Windows\\system.ini')).toBe('system.ini');
    expect(sanitizeFileName('C:evil.txt')).toBe('C_evil.txt');
    for (const name of ['..', '.', '/', '../..', '...', '  ', ''])
      expect(sanitizeFileName(name), JSON.stringify(name)).toBe('file');
  });

  it('replaces NUL, control, Windows-forbidden and bidi characters', () => {
    expect(sanitizeFileName('a\u0000b.pdf')).toBe('a_b.pdf');
    expect(sanitizeFileName('line\nbreak\t.txt')).toBe('line_break_.txt');
    expect(sanitizeFileName('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoice_fdp.exe');
  });

  it('drops leading dots and trailing dots and spaces', () => {
    expect(sanitizeFileName('.htaccess')).toBe('htaccess');
    expect(sanitizeFileName('notes.txt. . ')).toBe('notes.txt');
  });

  it('prefixes Windows device names, whatever their case or extension', () => {
    for (const [name, safe] of [
      ['CON', '_CON'],
      ['con.txt', '_con.txt'],
      ['Nul.tar.gz', '_Nul.tar.gz'],
      ['com1.pdf', '_com1.pdf'],
      ['LPT9', '_LPT9'],
      ['aux .txt', '_aux .txt'],
      ['console.txt', 'console.txt'],
      ['com10.txt', 'com10.txt'],
    ]) {
      expect(sanitizeFileName(name), name).toBe(safe);
    }
  });

  it('shortens long names by bytes on code point boundaries, keeping the extension and staying distinct', () => {
    const ascii = `${'a'.repeat(296)}.pdf`;
    const emoji = `${'😀'.repeat(150)}.xlsx`; // 600 bytes of stem, 300 code points
    for (const name of [ascii, emoji]) {
      const safe = sanitizeFileName(name);
      expect(bytes(safe)).toBeLessThanOrEqual(MAX_NAME_BYTES);
      expect(safe.endsWith(name.slice(name.lastIndexOf('.')))).toBe(true);
      expect(safe).not.toContain('\uFFFD');
      expect([...safe].every((ch) => ch.codePointAt(0)! < 0xd800 || ch.codePointAt(0)! > 0xdfff)).toBe(true);
    }
    expect(sanitizeFileName(`${'a'.repeat(296)}.pdf`)).not.toBe(sanitizeFileName(`${'a'.repeat(295)}b.pdf`));
    expect(sanitizeFileName(ascii)).toBe(sanitizeFileName(ascii));
  });

  it('normalizes to NFC so the same name maps to the same file', () => {
    expect(sanitizeFileName('Cafe\u0301.txt')).toBe(sanitizeFileName('Caf\u00e9.txt'));
  });
});

describe('assignSafeNames', () => {
  it('gives colliding names distinct, stable suffixes that do not depend on list order', () => {
    const items = [
      { key: 'att3', name: 'report.pdf' },
      { key: 'att1', name: 'report.pdf' },
      { key: 'att2', name: 'REPORT.pdf' }, // same file on case-insensitive filesystems
      { key: 'att4', name: '../report.pdf' },
      { key: 'att5', name: 'other.pdf' },
    ];
    const names = assignSafeNames(items);
    expect(names.get('att1')).toBe('report.pdf');
    expect(names.get('att5')).toBe('other.pdf');
    const all = [...names.values()];
    expect(new Set(all.map((n) => n.toLowerCase())).size).toBe(items.length);
    for (const key of ['att2', 'att3', 'att4']) expect(names.get(key)).toMatch(/^(report|REPORT)~[0-9a-f]{8}\.pdf$/);

    const reordered = assignSafeNames([...items].reverse());
    expect(reordered).toEqual(names);
    const withoutOne = assignSafeNames(items.filter((i) => i.key !== 'att4'));
    expect(withoutOne.get('att3')).toBe(names.get('att3'));
  });

  it('refuses two items with the same key', () => {
    expect(() =>
      assignSafeNames([
        { key: 'a', name: 'x' },
        { key: 'a', name: 'y' },
      ]),
    ).toThrow(/duplicate item key "a"/);
  });
});

describe('resolveInside', () => {
  const root = path.resolve('/tmp/download-root');

  it('joins safe components under the root', () => {
    expect(resolveInside(root, 'SPACE', '123', 'a.pdf')).toBe(path.join(root, 'SPACE', '123', 'a.pdf'));
    expect(resolveInside(root, '..notes')).toBe(path.join(root, '..notes'));
  });

  it('refuses anything on or outside the root', () => {
    for (const segments of [['..', 'x'], ['/etc/passwd'], ['a', '..', '..', 'x'], [''], ['.'], ['SPACE', '..']]) {
      expect(() => resolveInside(root, ...segments), JSON.stringify(segments)).toThrow(
        /escapes .*sanitize each component/,
      );
    }
    expect(() => resolveInside(root, '..', 'download-root-sibling')).toThrow(/escapes/);
  });
});
