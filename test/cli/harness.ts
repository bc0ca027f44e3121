/**
 * Runs the built CLI (dist/cli.js) as a child process, the way users and CI run it.
 * `npm test` builds first; run `npm run build` before `node scripts/test.mjs cli` on its own.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
/** Fixture folders, relative to the repository root (the default working directory). */
export const FIXTURES = 'test/fixtures/cli';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing; run "npm run build" first`);
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? withoutColourSettings(process.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The environment minus variables that change colour decisions, so output is the piped default. */
export function withoutColourSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy['NO_COLOR'];
  delete copy['FORCE_COLOR'];
  return copy;
}

/** Runs with `--format json` and parses stdout. */
export function runJson(args: readonly string[], options: { cwd?: string } = {}): { run: CliRun; output: JsonOutput } {
  const run = runCli([...args, '--format', 'json'], options);
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return { run, output: JSON.parse(run.stdout) as JsonOutput };
}

/** The documented JSON contract, restated here so the tests check the wire shape, not our types. */
export interface JsonOutput {
  version: number;
  findings: {
    ruleId: string;
    severity: string;
    file: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    message: string;
    resource: { kind: string; name: string; namespace: string };
    /** The overlay or chart folder the finding holds in, for a file a kustomize overlay builds or a chart renders. */
    scope?: string;
    scopes?: string[];
  }[];
  services: {
    file: string;
    name: string;
    namespace: string;
    type: string;
    selector: Record<string, string> | null;
    matches: { file: string; kind: string; name: string }[];
    alsoMatches?: { file: string; kind: string; name: string }[];
    owner?: { file: string; apiVersion: string; kind: string; name: string };
    elsewhere?: { scope?: string; label: string; matches: { file: string; kind: string; name: string }[] };
    scope?: string;
    ports: {
      port: number;
      targetPort: number | string;
      protocol: string;
      resolutions: { file: string; kind: string; name: string; container: string; containerPort: number | null }[];
      endpointPorts?: { file: string; kind: string; name: string; port: number | null }[];
    }[];
  }[];
}

/** The text between two 0-based line/character positions of a file (UTF-16, like the CLI). */
export function textAt(
  file: string,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
): string {
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

function offsetOf(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line += 1) {
    const next = text.indexOf('\n', offset);
    assert.ok(next >= 0, `line ${position.line} is past the end of the file`);
    offset = next + 1;
  }
  return offset + position.character;
}
