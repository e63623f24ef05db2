// docker-compose.yml through `docker compose config`, where the compose plugin exists (the parsed wiring is checked
// everywhere by compose.test.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

function composePlugin(): boolean {
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
}

describe('docker-compose.yml', () => {
  it.runIf(composePlugin())('passes docker compose config', () => {
    // A copy with the files it points at, so the check does not depend on a developer's secrets.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    for (const file of ['docker-compose.yml', 'Dockerfile', '.dockerignore']) copyFileSync(path.join(ROOT, file), path.join(dir, file));
    mkdirSync(path.join(dir, 'secrets'));
    writeFileSync(path.join(dir, 'secrets', 'encryption-key'), 'x', { mode: 0o600 });
    execFileSync('docker', ['compose', '-f', path.join(dir, 'docker-compose.yml'), 'config', '--quiet'], { cwd: dir, stdio: 'pipe' });
  });
});
