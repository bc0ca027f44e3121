import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULE_IDS } from '../../server/src/engine/rules/registry';
import { analyse, parseFixture, rewriteFixture, type ExpectedFinding } from './fixtureHarness';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const update = process.env['UPDATE_FIXTURES'] === '1';

function key(finding: ExpectedFinding): string {
  return `${finding.file}:${finding.line + 1}:${finding.startColumn}-${finding.endColumn} ${finding.severity} ${finding.ruleId}`;
}

describe('rule fixtures', () => {
  for (const ruleId of RULE_IDS) {
    const directory = join(FIXTURES, ruleId);
    const files = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.yaml')).sort() : [];
    for (const name of files) {
      it(`${ruleId}/${name}`, () => {
        const path = join(directory, name);
        const fixture = parseFixture(readFileSync(path, 'utf8'));
        const { findings } = analyse(fixture);
        if (update) {
          rewriteFixture(path, fixture, findings);
          return;
        }
        assert.deepEqual(findings.map(key).sort(), fixture.expected.map(key).sort());
        for (const expected of fixture.expected) {
          const actual = findings.find((finding) => key(finding) === key(expected));
          assert.ok(actual?.message.startsWith(expected.message), `${key(expected)}\n  expected: ${expected.message}\n  actual:   ${actual?.message}`);
        }
        if (name.startsWith('quiet')) {
          assert.equal(findings.filter((finding) => finding.ruleId === ruleId).length, 0, `${name} must not fire ${ruleId}`);
        } else {
          assert.ok(findings.some((finding) => finding.ruleId === ruleId), `${name} must fire ${ruleId}`);
        }
      });
    }
  }
});
