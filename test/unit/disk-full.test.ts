// A write refused for want of space is told apart from other file errors and names the file being written (a failed
// write() names none), whether it came from the file system or from SQLite.
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { explainSqliteError } from '../../src/checkpoint/database';
import { asDiskFull, DiskFullError } from '../../src/core/diskFull';

const errno = (code: string, path?: string) =>
  Object.assign(new Error(`${code}: failed`), { code, ...(path ? { path } : {}) });

it('recognises ENOSPC, EDQUOT and SQLITE_FULL, and nothing else', () => {
  expect(asDiskFull(errno('ENOSPC', '/data/out/ENG/1.html.json'))?.message).toBe(
    'no space left to write /data/out/ENG/1.html.json (ENOSPC); free space on that disk, or point --output-dir or --work-dir at another one, and run again',
  );
  expect(asDiskFull(errno('EDQUOT'), '/data/out/ENG/2.html.json')).toMatchObject({
    file: '/data/out/ENG/2.html.json',
    code: 'EDQUOT',
  });
  expect(asDiskFull(errno('EACCES', '/data/out'))).toBeUndefined();
  expect(asDiskFull(new Error('no code'))).toBeUndefined();
  const sqlite = new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  const full = explainSqliteError('/data/out/.checkpoint.sqlite', sqlite);
  expect(full).toBeInstanceOf(DiskFullError);
  expect(asDiskFull(full)).toMatchObject({ file: '/data/out/.checkpoint.sqlite', code: 'SQLITE_FULL' });
});
