/**
 * The language server outside VS Code: headless Neovim (Debian's 0.7, installed by the test setup)
 * runs test/neovim/client.lua, which starts `node dist/server.js --stdio` on a copy of examples/,
 * waits for the diagnostics of one file and the end of the workspace scan, asks for two hovers, a
 * definition and a completion, and writes what it received as JSON.
 * The findings must be those examples/EXPECTED.md lists for that file.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findingKey, parseExpectedFindings, type ExpectedFinding, type ExpectedSeverity } from '../e2e/expected';
import { REPO_ROOT } from '../support/paths';

const CLIENT = path.join(REPO_ROOT, 'test', 'neovim', 'client.lua');
const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');
const FILE = 'shop-staging/web.yaml';
const TIMEOUT_MS = 30_000;
const NEOVIM_SEVERITIES: Readonly<Record<number, ExpectedSeverity>> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

interface NeovimDiagnostic {
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly severity: number;
  readonly source: string;
  readonly code: string;
  readonly href: string | null;
  readonly message: string;
}

interface DefinitionTarget {
  readonly uri: string;
  readonly line: number;
  readonly character: number;
}

interface CompletionItemSeen {
  readonly label: string;
  readonly detail: string | null;
  readonly newText: string | null;
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } } | null;
}

interface IndexingNotification {
  readonly state: string;
  readonly folders: number;
  readonly files?: number;
}

interface NeovimResult {
  readonly diagnostics: readonly NeovimDiagnostic[];
  readonly indexing: readonly IndexingNotification[];
  readonly hovers: readonly (string | null)[];
  readonly definitions: readonly (readonly DefinitionTarget[])[];
  readonly completions: readonly (readonly CompletionItemSeen[])[];
  readonly errors: readonly string[];
  readonly timedOut: boolean;
  readonly diagnosticsAfterMs?: number;
  readonly finishedAfterMs?: number;
}

/** Lua encodes an empty table as `{}`: read lists leniently. */
function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function neovimVersion(): string | undefined {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0] : undefined;
}

/** Runs the Lua client on `file` of `root` and returns what it wrote. */
async function runNeovim(
  root: string,
  file: string,
  expect: number,
  hovers: readonly { line: number; character: number }[],
  definitions: readonly { line: number; character: number }[],
  completions: readonly { line: number; character: number }[],
): Promise<NeovimResult> {
  const state = mkdtempSync(path.join(tmpdir(), 'sl-nvim-state-'));
  const resultFile = path.join(state, 'result.json');
  const xdg = Object.fromEntries(['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'].map((name) => [name, path.join(state, name.toLowerCase())]));
  for (const folder of Object.values(xdg)) mkdirSync(folder, { recursive: true });
  try {
    const child = spawn('nvim', ['--headless', '--clean', '-n', '-u', CLIENT, file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...xdg,
        SERVICE_LENS_SERVER: SERVER,
        SERVICE_LENS_ROOT: root,
        SERVICE_LENS_RESULT: resultFile,
        SERVICE_LENS_EXPECT: String(expect),
        SERVICE_LENS_HOVERS: JSON.stringify(hovers),
        SERVICE_LENS_DEFINITIONS: JSON.stringify(definitions),
        SERVICE_LENS_COMPLETIONS: JSON.stringify(completions),
        SERVICE_LENS_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve, reject) => {
      // The client gives up on each wait after TIMEOUT_MS; this only catches a Neovim that hangs.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`nvim did not exit within ${(4 * TIMEOUT_MS) / 1000} s:\n${output}`));
      }, 4 * TIMEOUT_MS);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.ok(existsSync(resultFile), `nvim exited with ${code} without writing its result:\n${output}`);
    const raw = JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, unknown>;
    return {
      diagnostics: list<NeovimDiagnostic>(raw['diagnostics']),
      indexing: list<IndexingNotification>(raw['indexing']),
      hovers: list<string | null>(raw['hovers']),
      definitions: list<unknown>(raw['definitions']).map((targets) => list<DefinitionTarget>(targets)),
      completions: list<unknown>(raw['completions']).map((items) => list<CompletionItemSeen>(items)),
      errors: list<string>(raw['errors']),
      timedOut: raw['timedOut'] === true,
      diagnosticsAfterMs: Number(raw['diagnosticsAfterMs']),
      finishedAfterMs: Number(raw['finishedAfterMs']),
    };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** The selector value `numbers-web` of Service numbers-web-internal (0-based). */
function selectorOfInternal(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  const service = lines.findIndex((candidate) => candidate.includes('name: numbers-web-internal'));
  const line = lines.findIndex((candidate, index) => index > service && candidate === '    app: numbers-web');
  assert.ok(service >= 0 && line > service, 'Service numbers-web-internal selects app: numbers-web');
  return { line, character: '    app: numbers'.length };
}

/** 0-based position of `offset` characters into the first line containing `needle`. */
function positionOf(text: string, needle: string, offset: number): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(needle));
  assert.ok(line >= 0, `${FILE} contains ${needle}`);
  return { line, character: lines[line]!.indexOf(needle) + offset };
}

describe('Neovim as the LSP client', { skip: neovimVersion() === undefined ? 'nvim is not installed (npm run setup installs it)' : false }, () => {
  let root = '';
  let result: NeovimResult;
  let expected: ExpectedFinding[];

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is built (npm run build)`);
    root = path.join(mkdtempSync(path.join(tmpdir(), 'sl-nvim-')), 'examples');
    cpSync(path.join(REPO_ROOT, 'examples'), root, { recursive: true });
    expected = parseExpectedFindings(readFileSync(path.join(root, 'EXPECTED.md'), 'utf8')).filter((finding) => finding.file === FILE);
    const text = readFileSync(path.join(root, FILE), 'utf8');
    result = await runNeovim(
      root,
      FILE,
      expected.length,
      [positionOf(text, 'name: numbers-web-internal', 'name: '.length + 3), positionOf(text, 'app: numbres-web', 1)],
      [selectorOfInternal(text)],
      [positionOf(text, 'app: numbres-web', 'app: '.length)],
    );
    console.log(`${neovimVersion()}: diagnostics after ${result.diagnosticsAfterMs} ms, done after ${result.finishedAfterMs} ms`);
  });

  after(() => {
    if (root) rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('runs without protocol errors', () => {
    assert.deepEqual(result.errors, []);
    assert.equal(result.timedOut, false, `waited for ${expected.length} diagnostics, got ${result.diagnostics.length}`);
  });

  it(`receives exactly the findings EXPECTED.md lists for ${FILE}`, () => {
    assert.ok(expected.length > 0);
    const shown = result.diagnostics.map((diagnostic) =>
      findingKey({
        file: FILE,
        line: diagnostic.line + 1,
        column: diagnostic.character + 1,
        ruleId: diagnostic.code,
        severity: NEOVIM_SEVERITIES[diagnostic.severity] ?? 'hint',
      }),
    );
    assert.deepEqual(shown.sort(), expected.map(findingKey).sort());
    for (const diagnostic of result.diagnostics) {
      assert.equal(diagnostic.source, 'service-lens');
      assert.equal(diagnostic.href, `https://github.com/service-lens/service-lens/blob/main/docs/rules/${diagnostic.code}.md`);
      assert.ok(diagnostic.endLine > diagnostic.line || diagnostic.endCharacter > diagnostic.character, 'a non-empty range');
    }
  });

  it('is told when the workspace scan starts and ends', () => {
    const manifests = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(ya?ml|json)$/.test(file));
    assert.deepEqual(result.indexing, [
      { state: 'started', folders: 1 },
      { state: 'finished', folders: 1, files: manifests.length },
    ]);
  });

  it('hovers a Service: its Pod template, ports and DNS name', () => {
    const hover = result.hovers[0] ?? '';
    for (const part of ['Service/numbers-web-internal', 'numbers-web-internal.shop-staging.svc.cluster.local', 'Deployment/numbers-web', 'htpp']) {
      assert.ok(hover.includes(part), `the hover shows ${part}:\n${hover}`);
    }
  });

  it("goes from a selector value to the Pod template's label it selects", () => {
    const text = readFileSync(path.join(root, FILE), 'utf8');
    const lines = text.split('\n');
    const labels = lines.findIndex((candidate, index) => candidate === '        app: numbers-web' && lines[index - 1] === '      labels:');
    assert.ok(labels > 0, 'the Deployment template label');
    const targets = result.definitions[0] ?? [];
    assert.deepEqual(
      targets.map((target) => ({ file: path.relative(root, new URL(target.uri).pathname), line: target.line })),
      [{ file: FILE, line: labels }],
    );
    assert.ok((targets[0]?.character ?? -1) >= '        '.length, 'at the label, not column 0');
  });

  it('hovers a selector pair that misses: the nearest miss', () => {
    const hover = result.hovers[1] ?? '';
    assert.match(hover, /Nearest miss/);
    assert.match(hover, /Deployment\/numbers-web/);
  });

  it("completes a selector value with the namespace's template labels, replacing the whole value", () => {
    const items = result.completions[0] ?? [];
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('numbers-web') && labels.includes('numbers-api'), `shop-staging's template labels: ${JSON.stringify(labels)}`);
    // The typo is a selector value, not a label; numbers-db's template is in namespace shop.
    assert.ok(!labels.includes('numbres-web') && !labels.includes('numbers-db'), JSON.stringify(labels));
    const text = readFileSync(path.join(root, FILE), 'utf8');
    const at = positionOf(text, 'app: numbres-web', 'app: '.length);
    const web = items.find((item) => item.label === 'numbers-web');
    assert.equal(web?.newText, 'numbers-web');
    assert.deepEqual(web?.range, { start: at, end: { line: at.line, character: at.character + 'numbres-web'.length } });
  });
});
