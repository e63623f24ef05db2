// compose-check (tools/compose-check): docker-compose.yml through compose-go, the loader of Docker Compose v2, with no
// Docker. Built from its pinned go.mod/go.sum with the machine's Go (modules from the Go module proxy, or Go's module
// cache) into node_modules/.cache/compose-check/<hash of the sources and the Go version>/, so later runs reuse it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = path.join(ROOT, 'tools', 'compose-check');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'compose-check');
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go'];
const BUILD_TIMEOUT_MS = 170_000;

function goVersion(): string {
  try {
    // Asked in the module's folder, so a toolchain the go.mod selects is the one named.
    return execFileSync('go', ['env', 'GOVERSION', 'GOOS', 'GOARCH'], { cwd: SOURCE, encoding: 'utf8' })
      .trim()
      .replace(/\s+/g, ' ');
  } catch (err) {
    throw new Error(
      `compose-check is built with Go 1.24 or newer, and \`go\` did not run (${(err as Error).message}); install Go from https://go.dev/dl`,
    );
  }
}

/** The path of the compose-check binary, built first if this version of its sources has not been built yet. */
export function composeCheckBinary(): string {
  const hash = createHash('sha256').update(goVersion());
  for (const file of SOURCE_FILES) hash.update(`\0${file}\0`).update(readFileSync(path.join(SOURCE, file)));
  const dir = path.join(CACHE, hash.digest('hex').slice(0, 16));
  const binary = path.join(dir, 'compose-check');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  const started = Date.now();
  try {
    execFileSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
      cwd: SOURCE,
      // -mod=readonly: exactly the versions go.mod and go.sum pin (a missing or altered checksum fails the build).
      env: { ...process.env, GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: BUILD_TIMEOUT_MS,
    });
  } catch (err) {
    rmSync(partial, { force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`building tools/compose-check failed: ${stderr || (err as Error).message}`);
  }
  renameSync(partial, binary);
  console.info(
    `built tools/compose-check in ${((Date.now() - started) / 1000).toFixed(1)}s -> ${path.relative(ROOT, binary)}`,
  );
  return binary;
}
