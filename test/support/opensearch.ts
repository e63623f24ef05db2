// A real single-node OpenSearch for a test file (or the OpenSearch bench), from Maven Central's jars: test/support/
// opensearch/pom.xml names the server and the modules the destination's calls need, Maven fetches them on first use
// into node_modules/.cache/opensearch-m2 and compiles the launcher (TestNode.java), again only when either changed,
// and the node runs in a JVM of its own on a port of 127.0.0.1 with a throwaway data dir. It stops when its standard input closes, so a test
// process that dies takes it along.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PROJECT = path.resolve(__dirname, 'opensearch');
const REPOSITORY = path.resolve(__dirname, '../../node_modules/.cache/opensearch-m2');
const START_TIMEOUT_MS = 180_000;

export interface TestOpenSearch {
  url: string;
  stop(): Promise<void>;
}

const SOURCES = [path.join(PROJECT, 'pom.xml'), path.join(PROJECT, 'src/main/java/durableingest/TestNode.java')];
const CLASSPATH_FILE = path.join(PROJECT, 'target/classpath.txt');

/** Maven's start alone takes seconds of CPU: a build newer than the pom and the launcher is taken as it is. */
function built(): boolean {
  if (!existsSync(CLASSPATH_FILE)) return false;
  const at = statSync(CLASSPATH_FILE).mtimeMs;
  return SOURCES.every((source) => statSync(source).mtimeMs < at);
}

/** Compiles the launcher and writes its classpath (Maven resolves from its cache once it has everything). */
function build(): string {
  if (built()) return classpathOf();
  const maven = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      `-Dmaven.repo.local=${REPOSITORY}`,
      'compile',
      'dependency:build-classpath',
      '-Dmdep.outputFile=target/classpath.txt',
    ],
    { cwd: PROJECT, encoding: 'utf8', timeout: 900_000 },
  );
  if (maven.status !== 0)
    throw new Error(`mvn could not build the OpenSearch test node (is Maven on PATH?): ${maven.stdout}${maven.stderr}`);
  return classpathOf();
}

function classpathOf(): string {
  return `${path.join(PROJECT, 'target/classes')}${path.delimiter}${readFileSync(CLASSPATH_FILE, 'utf8').trim()}`;
}

/** `port`: one chosen beforehand lets the caller hand out the URL while the node starts; default any free one. */
export async function startOpenSearch(port = 0): Promise<TestOpenSearch> {
  const classpath = build();
  const home = mkdtempSync(path.join(tmpdir(), 'opensearch-'));
  const node = spawn('java', ['-Xms256m', '-Xmx512m', '-cp', classpath, 'durableingest.TestNode', home, String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const bound = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`OpenSearch did not start in ${START_TIMEOUT_MS / 1000} s: ${output.slice(-2000)}`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve(Number(listening[1]));
      }
    };
    node.stdout?.on('data', read);
    node.stderr?.on('data', read);
    node.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`OpenSearch exited (${code}) before it listened: ${output.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: async () => {
      await stopNode(node);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function stopNode(node: ChildProcess): Promise<void> {
  if (node.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => node.once('exit', () => resolve()));
  node.stdin?.end();
  const timer = setTimeout(() => node.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
