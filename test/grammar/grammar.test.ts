// Tokenizes YAML with the contributed injection grammars on top of a small stand-in YAML grammar
// (vscode-textmate + vscode-oniguruma, as VS Code does) and checks the scopes of the tokens.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { RULE_IDS } from '../../server/src/engine/rules/registry';

const root = join(__dirname, '..', '..');
const baseGrammarPath = join(__dirname, 'yaml-base.tmLanguage.json');

const KEYWORD = 'keyword.control.directive.service-lens';
const RULE = 'constant.language.rule-id.service-lens';
const UNKNOWN = 'invalid.illegal.unknown-rule.service-lens';
const COMMA = 'punctuation.separator.comma.service-lens';
const COMMENT = 'comment.line.number-sign.yaml';
const TAG = 'entity.name.tag.yaml';

interface ContributedGrammar {
  readonly scopeName: string;
  readonly path: string;
  readonly injectTo: readonly string[];
}

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The `contributes.grammars` entries of the manifest, so the test checks what the extension ships. */
function contributedGrammars(): ContributedGrammar[] {
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const contributes = isRecord(manifest) ? manifest['contributes'] : undefined;
  const grammars = isRecord(contributes) ? contributes['grammars'] : undefined;
  assert.ok(Array.isArray(grammars), 'package.json contributes.grammars is an array');
  return grammars.map((entry: unknown) => {
    assert.ok(isRecord(entry), 'a grammar contribution is an object');
    const { scopeName, path, injectTo } = entry;
    assert.ok(typeof scopeName === 'string' && typeof path === 'string', 'a grammar has scopeName and path');
    return { scopeName, path: join(root, path), injectTo: isStringArray(injectTo) ? injectTo : [] };
  });
}

let grammar: textmate.IGrammar;
let contributions: ContributedGrammar[];

before(async () => {
  await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  contributions = contributedGrammars();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const path =
        scopeName === 'source.yaml'
          ? baseGrammarPath
          : contributions.find((contribution) => contribution.scopeName === scopeName)?.path;
      return path ? textmate.parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
    },
    getInjections: (scopeName: string) =>
      contributions
        .filter((contribution) => contribution.injectTo.includes(scopeName))
        .map((contribution) => contribution.scopeName),
  });
  const loaded = await registry.loadGrammar('source.yaml');
  assert.ok(loaded, 'the base YAML grammar loads');
  grammar = loaded;
});

/** Tokens of each line, carrying the tokenizer state from line to line as an editor does. */
function tokenize(text: string): Token[][] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({
      text: line.slice(token.startIndex, token.endIndex),
      scopes: token.scopes,
    }));
  });
}

function tokenizeLine(line: string): Token[] {
  return tokenize(line)[0] ?? [];
}

/** Scopes of the token whose text is exactly `text` (the `occurrence`-th one, 0-based). */
function scopesOf(tokens: readonly Token[], text: string, occurrence = 0): readonly string[] {
  const matches = tokens.filter((token) => token.text === text);
  const token = matches[occurrence];
  assert.ok(token, `no token "${text}" (#${occurrence}) in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}

/** Every scope this extension's grammars assign anywhere in the tokens. */
function ownScopes(tokens: readonly Token[]): string[] {
  return tokens.flatMap((token) => token.scopes.filter((scope) => scope.endsWith('.service-lens')));
}

/** The rule ids a grammar file lists in its known-id pattern. */
function idsInGrammar(path: string): string[] {
  const match = /\(\?:((?:[a-z-]+\|?)+)\)/.exec(readFileSync(path, 'utf8'));
  assert.ok(match?.[1], `${path} lists the rule ids in one alternation`);
  return match[1].split('|').sort();
}

describe('manifest', () => {
  test('contributes both injection grammars into source.yaml, and their files exist', () => {
    const scopes = contributions.map((contribution) => contribution.scopeName).sort();
    assert.deepEqual(scopes, ['service-lens.annotations.injection', 'service-lens.suppressions.injection']);
    for (const contribution of contributions) {
      assert.deepEqual(contribution.injectTo, ['source.yaml']);
      assert.ok(existsSync(contribution.path), contribution.path);
    }
  });

  test('each grammar knows exactly the rule ids of the engine', () => {
    for (const contribution of contributions) {
      assert.deepEqual(idsInGrammar(contribution.path), [...RULE_IDS].sort(), contribution.path);
    }
  });
});

describe('disable-next-line comments', () => {
  test('the directive is a keyword inside the comment', () => {
    const tokens = tokenizeLine('# service-lens-disable-next-line service-selector-no-match');
    assert.deepEqual(scopesOf(tokens, 'service-lens-disable-next-line'), [
      'source.yaml',
      COMMENT,
      'meta.directive.disable-next-line.service-lens',
      KEYWORD,
    ]);
    assert.ok(scopesOf(tokens, '#').includes('punctuation.definition.comment.yaml'));
  });

  test('every rule id of the engine is highlighted as a known rule', () => {
    for (const id of RULE_IDS) {
      const scopes = scopesOf(tokenizeLine(`  # service-lens-disable-next-line ${id}`), id);
      assert.equal(scopes.at(-1), RULE, id);
      assert.ok(scopes.includes(COMMENT), id);
    }
  });

  test('an unknown id is marked invalid, also when it only resembles a rule id', () => {
    const tokens = tokenizeLine(
      '# service-lens-disable-next-line service-ports-invalidx, service-ports, Service-Ports-Invalid, selector-no-match',
    );
    for (const text of ['service-ports-invalidx', 'service-ports', 'Service-Ports-Invalid', 'selector-no-match']) {
      assert.equal(scopesOf(tokens, text).at(-1), UNKNOWN, text);
    }
    assert.equal(ownScopes(tokens).filter((scope) => scope === RULE).length, 0);
  });

  test('a comma-separated list highlights each id and each comma', () => {
    const tokens = tokenizeLine(
      '    #service-lens-disable-next-line service-target-port-unresolved,service-port-protocol-mismatch , bogus-rule',
    );
    assert.equal(scopesOf(tokens, 'service-lens-disable-next-line').at(-1), KEYWORD);
    assert.equal(scopesOf(tokens, 'service-target-port-unresolved').at(-1), RULE);
    assert.equal(scopesOf(tokens, 'service-port-protocol-mismatch').at(-1), RULE);
    assert.equal(scopesOf(tokens, 'bogus-rule').at(-1), UNKNOWN);
    assert.equal(scopesOf(tokens, ',', 0).at(-1), COMMA);
    assert.equal(scopesOf(tokens, ',', 1).at(-1), COMMA);
  });

  test('nothing is highlighted outside a comment line', () => {
    const text = [
      'kind: Service # service-lens-disable-next-line service-ports-invalid',
      'note: service-lens-disable-next-line service-ports-invalid',
      'quoted: "# service-lens-disable-next-line service-ports-invalid"',
      '# see service-lens-disable-next-line service-ports-invalid',
      '# service-lens-disable-next-lines service-ports-invalid',
    ].join('\n');
    for (const [index, tokens] of tokenize(text).entries()) {
      assert.deepEqual(ownScopes(tokens), [], `line ${index + 1}`);
    }
  });

  test('the lines after a directive are tokenized as plain YAML again', () => {
    const [, next] = tokenize('# service-lens-disable-next-line service-ports-invalid\nselector: web');
    assert.ok(next);
    assert.equal(scopesOf(next, 'selector').at(-1), TAG);
    assert.deepEqual(ownScopes(next), []);
  });
});

describe('service-lens/disable annotation', () => {
  test('the key and the ids of a double-quoted value', () => {
    const tokens = tokenizeLine('    service-lens/disable: "service-selector-no-match, not-a-rule"');
    assert.deepEqual(scopesOf(tokens, 'service-lens/disable'), [
      'source.yaml',
      'meta.annotation.disable.service-lens',
      TAG,
      KEYWORD,
    ]);
    const id = scopesOf(tokens, 'service-selector-no-match');
    assert.equal(id.at(-1), RULE);
    assert.ok(id.includes('string.quoted.double.yaml'));
    assert.equal(scopesOf(tokens, 'not-a-rule').at(-1), UNKNOWN);
    assert.equal(scopesOf(tokens, ',').at(-1), COMMA);
  });

  test('plain and single-quoted values, a quoted key and a trailing comment', () => {
    const [plain, single, quotedKey] = tokenize(
      [
        '    service-lens/disable: service-ports-invalid,workload-selector-mismatch # keep',
        "    service-lens/disable: 'service-target-port-undeclared'",
        '    "service-lens/disable": "service-selector-other-namespace"',
      ].join('\n'),
    );
    assert.ok(plain && single && quotedKey);
    assert.equal(scopesOf(plain, 'service-ports-invalid').at(-1), RULE);
    assert.equal(scopesOf(plain, 'workload-selector-mismatch').at(-1), RULE);
    assert.ok(scopesOf(plain, ' keep').includes(COMMENT), 'the trailing comment stays a comment');
    assert.deepEqual(ownScopes(plain.filter((token) => token.scopes.includes(COMMENT))), []);
    assert.equal(scopesOf(single, 'service-target-port-undeclared').at(-1), RULE);
    assert.ok(scopesOf(single, 'service-target-port-undeclared').includes('string.quoted.single.yaml'));
    assert.equal(scopesOf(quotedKey, 'service-lens/disable').at(-1), KEYWORD);
    assert.equal(scopesOf(quotedKey, 'service-selector-other-namespace').at(-1), RULE);
  });

  test('the following keys are ordinary YAML again', () => {
    const lines = tokenize(
      ['  annotations:', '    service-lens/disable: "service-ports-invalid"', '    owner: team-a'].join('\n'),
    );
    const owner = lines[2];
    assert.ok(owner);
    assert.equal(scopesOf(owner, 'owner').at(-1), TAG);
    assert.deepEqual(ownScopes(owner), []);
  });

  test('not highlighted in comments, in string values or as part of another key', () => {
    const text = [
      '# service-lens/disable: service-ports-invalid',
      'description: "service-lens/disable: service-ports-invalid"',
      'x-service-lens/disable: service-ports-invalid',
      'service-lens/disabled: service-ports-invalid',
    ].join('\n');
    for (const [index, tokens] of tokenize(text).entries()) {
      assert.deepEqual(ownScopes(tokens), [], `line ${index + 1}`);
    }
  });
});
