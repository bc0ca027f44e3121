/**
 * Every quick fix of every rule fixture, applied and re-analysed: the finding it fixes is gone and
 * no finding appears that was not there before. The suppression comment of every finding too.
 * Edits are applied to the fixture's text as an editor applies a WorkspaceEdit.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeActionsAt } from '../../server/src/engine/features/codeActions';
import { RULE_IDS } from '../../server/src/engine/rules/registry';
import type { Finding, TextEdit } from '../../server/src/engine/types';
import { TestHost } from '../support/testHost';
import { parseFixture, type Fixture } from './fixtureHarness';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');

/** Applies edits (each with its file) to texts; edits of one file must not overlap. */
export function applyEdits(texts: ReadonlyMap<string, string>, edits: readonly (TextEdit & { readonly fileId: string })[]): Map<string, string> {
  const out = new Map(texts);
  const byFile = new Map<string, (TextEdit & { readonly fileId: string })[]>();
  for (const edit of edits) byFile.set(edit.fileId, [...(byFile.get(edit.fileId) ?? []), edit]);
  for (const [fileId, list] of byFile) {
    let text = out.get(fileId);
    assert.ok(text !== undefined, `an edit of an unknown file ${fileId}`);
    for (const edit of [...list].sort((left, right) => right.span.start - left.span.start)) {
      text = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    }
    out.set(fileId, text);
  }
  return out;
}

function identity(finding: Finding): string {
  return `${finding.fileId} ${finding.ruleId} ${finding.messageId} ${finding.resource.kind}/${finding.resource.namespace}/${finding.resource.name}`;
}

function counts(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const finding of findings) out.set(identity(finding), (out.get(identity(finding)) ?? 0) + 1);
  return out;
}

function analyse(fixture: Fixture, texts: ReadonlyMap<string, string>): TestHost {
  const host = new TestHost(fixture.config);
  host.setFiles(texts);
  return host;
}

/** Rules whose fixture findings must offer at least one fix of their own (beyond the suppression comment). */
const FIXED_RULES = [
  'labels-invalid',
  'service-port-protocol-mismatch',
  'service-ports-invalid',
  'service-selector-no-match',
  'service-selector-other-namespace',
  'service-target-port-undeclared',
  'service-target-port-unresolved',
];

describe('quick fixes', () => {
  const exercised = new Map<string, Set<string>>();
  for (const ruleId of RULE_IDS) {
    const directory = join(FIXTURES, ruleId);
    for (const name of readdirSync(directory).filter((file) => file.startsWith('fires') && file.endsWith('.yaml')).sort()) {
      it(`${ruleId}/${name}: each fix clears its finding and adds none`, () => {
        const fixture = parseFixture(readFileSync(join(directory, name), 'utf8'));
        const texts = new Map(fixture.files.map((file) => [file.name, file.text] as const));
        const before = analyse(fixture, texts);
        const beforeCounts = counts(before.allFindings());
        for (const finding of before.allFindings()) {
          const actions = codeActionsAt(before.snapshot, finding.fileId, finding.span, texts.get(finding.fileId));
          for (const action of actions.filter((candidate) => candidate.finding === finding)) {
            if (action.kind === 'fix') {
              let titles = exercised.get(finding.ruleId);
              if (!titles) exercised.set(finding.ruleId, (titles = new Set()));
              titles.add(action.title);
            }
            const after = analyse(fixture, applyEdits(texts, action.edits));
            const afterCounts = counts(after.allFindings());
            const where = `${action.title} on ${finding.fileId}: ${finding.message}`;
            assert.ok((afterCounts.get(identity(finding)) ?? 0) < (beforeCounts.get(identity(finding)) ?? 0), `${where}\n  the finding stays`);
            for (const [key, count] of afterCounts) {
              assert.ok(count <= (beforeCounts.get(key) ?? 0), `${where}\n  a new finding: ${key}\n${after.allFindings().map((other) => `  ${other.message}`).join('\n')}`);
            }
            assert.deepEqual(after.takeRuleFailures(), []);
          }
        }
      });
    }
  }
  it('every rule with fixes offers them on its fixtures', () => {
    for (const ruleId of FIXED_RULES) assert.ok((exercised.get(ruleId)?.size ?? 0) > 0, `${ruleId} offered no fix`);
  });
});

/**
 * Manifests written as JSON, pretty-printed and on one line: every fix keeps the file JSON
 * (kubectl reads a file that opens with `{` as JSON) and clears its finding; no fix is offered that
 * JSON cannot take (a suppression comment, a block sequence item).
 */
describe('quick fixes in .json manifests', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] },
      },
    },
  };
  const services: Record<string, unknown> = {
    'a value typo': { spec: { selector: { app: 'weeb' }, ports: [{ port: 80, targetPort: 'http' }] } },
    'a key the template lacks': { spec: { selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80, targetPort: 'http' }] } },
    'a targetPort typo': { spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'htp' }] } },
    'a protocol missing': { spec: { selector: { app: 'web' }, ports: [{ name: 'dns', port: 53, targetPort: 'dns' }] } },
    'a protocol written': { spec: { selector: { app: 'web' }, ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'TCP' }] } },
    'ports without names': { spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }] } },
    'a quoted number': { spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: '8080' }] } },
    'an undeclared port': { spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9000 }] } },
    'a misspelt field': { spec: { selectr: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
    'another namespace': { metadata: { name: 'api' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
  };
  for (const [what, service] of Object.entries(services)) {
    for (const [layout, indent] of [['pretty-printed', 2], ['on one line', undefined]] as const) {
      it(`${what}, ${layout}`, () => {
        const written = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, ...(service as object) };
        const texts = new Map([
          ['shop/service.json', `${JSON.stringify(written, null, indent)}\n`],
          ['shop/deployment.json', `${JSON.stringify(deployment, null, indent)}\n`],
        ]);
        const fixture = { files: [], config: {} } as unknown as Fixture;
        const before = analyse(fixture, texts);
        const findings = before.allFindings();
        assert.ok(findings.length > 0, `${what}: a finding`);
        let fixed = 0;
        for (const finding of findings) {
          const actions = codeActionsAt(before.snapshot, finding.fileId, finding.span, texts.get(finding.fileId));
          assert.ok(!actions.some((action) => action.kind === 'suppress'), 'no comment in JSON');
          for (const action of actions.filter((candidate) => candidate.finding === finding)) {
            const after = applyEdits(texts, action.edits);
            for (const [fileId, text] of after) assert.doesNotThrow(() => JSON.parse(text), `${action.title}: ${fileId} is no longer JSON:\n${text}`);
            const remaining = analyse(fixture, after).allFindings();
            const same = (list: readonly Finding[]): number => list.filter((other) => identity(other) === identity(finding)).length;
            assert.ok(same(remaining) < same(findings), `${action.title}: the finding stays`);
            fixed++;
          }
        }
        if (what !== 'an undeclared port') assert.ok(fixed > 0, `${what}: a fix is offered`);
      });
    }
  }
});
