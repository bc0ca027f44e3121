/**
 * Cases from real repositories and public bug reports (test/fixtures/cases/<case>/). Each folder is
 * one linking universe, as `service-lens check .` run inside it; file ids are paths relative to
 * the folder. Its `case.json` states the right answer:
 * - `expect`: findings that must be present (`ruleId`, `file`, 1-based `line`; `ruleId` `*` = any rule);
 * - `quiet`: rule ids that must not fire anywhere; `id:loud` = no error or warning of that id;
 * - `clean`: files that must get no error or warning at all;
 * - `matches`: a Service name → the exact `Kind/name` templates every definition of it links to.
 * `what`, `source` and `notes` describe the case and cite the documentation that decides it.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isManifestName } from '../../server/src/io/manifestNames';
import type { Finding } from '../../server/src/engine/types';
import { TestHost } from '../support/testHost';

const CASES = join(__dirname, '..', 'fixtures', 'cases');

interface Case {
  readonly what: string;
  readonly expect?: readonly { readonly ruleId: string; readonly file: string; readonly line: number }[];
  readonly quiet?: readonly string[];
  readonly clean?: readonly string[];
  readonly matches?: Readonly<Record<string, readonly string[]>>;
}

/** The manifest files of a case folder, as [id relative to the folder, text], in code-unit order. */
function readCase(folder: string, prefix = ''): [string, string][] {
  const files: [string, string][] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    const id = prefix ? `${prefix}/${name}` : name;
    if (statSync(path).isDirectory()) files.push(...readCase(path, id));
    else if (name !== 'case.json' && isManifestName(name)) files.push([id, readFileSync(path, 'utf8')]);
  }
  return files;
}

function isLoud(finding: Finding): boolean {
  return finding.severity === 'error' || finding.severity === 'warning';
}

/** What the engine got wrong about a case: one line per problem, empty when it agrees. */
function problemsOf(spec: Case, host: TestHost): string[] {
  const problems: string[] = [];
  const findings = host.allFindings();
  const where = (finding: Finding) => `${finding.fileId}:${host.positionAt(finding.fileId, finding.span.start).line + 1}`;
  for (const expected of spec.expect ?? []) {
    const hit = findings.some(
      (finding) =>
        (expected.ruleId === '*' || finding.ruleId === expected.ruleId) &&
        finding.fileId === expected.file &&
        host.positionAt(finding.fileId, finding.span.start).line + 1 === expected.line,
    );
    if (!hit) problems.push(`missing ${expected.ruleId} at ${expected.file}:${expected.line}`);
  }
  for (const entry of spec.quiet ?? []) {
    const [ruleId, loud] = entry.split(':');
    for (const finding of findings) {
      if (finding.ruleId === ruleId && (loud === undefined || isLoud(finding))) problems.push(`unwanted ${finding.severity} ${ruleId} at ${where(finding)}: ${finding.message}`);
    }
  }
  for (const file of spec.clean ?? []) {
    for (const finding of findings) {
      if (finding.fileId === file && isLoud(finding)) problems.push(`unwanted ${finding.severity} ${finding.ruleId} at ${where(finding)}: ${finding.message}`);
    }
  }
  const reports = host.serviceReports();
  for (const [name, wanted] of Object.entries(spec.matches ?? {})) {
    const definitions = reports.filter((report) => report.name === name);
    if (definitions.length === 0) problems.push(`Service ${name} is not reported`);
    for (const definition of definitions) {
      const got = definition.matches.map((template) => `${template.kind}/${template.name}`).sort();
      const want = [...wanted].sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`Service ${name} (${definition.fileId}) matches ${got.join(', ') || 'nothing'}, want ${want.join(', ')}`);
    }
  }
  return problems;
}

describe('cases', () => {
  const folders = readdirSync(CASES)
    .filter((name) => statSync(join(CASES, name)).isDirectory())
    .sort();

  it('has cases', () => assert.ok(folders.length >= 10, `only ${folders.length} cases`));

  for (const folder of folders) {
    const spec = JSON.parse(readFileSync(join(CASES, folder, 'case.json'), 'utf8')) as Case;
    it(`${folder}: ${spec.what}`, () => {
      const files = readCase(join(CASES, folder));
      assert.ok(files.length > 0, 'the case has no manifests');
      const host = new TestHost();
      host.setFiles(files);
      assert.deepEqual(host.takeRuleFailures(), []);
      assert.deepEqual(problemsOf(spec, host), []);
    });
  }
});
