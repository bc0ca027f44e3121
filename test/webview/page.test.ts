import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, createNonce, embedJson, renderPreviewPage } from '../../client/webview/page';
import { HOSTILE, HOSTILE_NAME } from './fixtures/previews';

const NONCE = 'AbCdEfGhIjKlMnOpQrStUvWx';

function policyOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta element');
  return match[1]!.replace(/&#39;/g, "'");
}

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(' ')] as [string, string];
      }),
  );
}

describe('renderPreviewPage for the VS Code panel', () => {
  const html = renderPreviewPage({
    kind: 'webview',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js?a=1&b="2"',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
    cspSource: 'https://*.vscode-cdn.net',
    nonce: NONCE,
  });

  test('has a strict policy: nothing by default, nonce scripts, styles from the webview source', () => {
    const policy = directives(policyOf(html));
    assert.equal(policy.get('default-src'), "'none'");
    assert.equal(policy.get('script-src'), `'nonce-${NONCE}'`);
    assert.equal(policy.get('style-src'), `https://*.vscode-cdn.net 'nonce-${NONCE}'`);
    assert.equal(policy.get('img-src'), 'https://*.vscode-cdn.net data:');
    assert.doesNotMatch(policyOf(html), /unsafe-inline|unsafe-eval|\*[^.]/);
  });

  test('loads the bundle by URI with the nonce, the URI escaped as an attribute', () => {
    assert.ok(html.includes(`<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js?a=1&amp;b=&quot;2&quot;"></script>`), html);
    assert.ok(html.includes(`<link rel="stylesheet" nonce="${NONCE}" href="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css">`), html);
    assert.equal(html.match(/<script/g)?.length, 1, 'no other script, no embedded data');
    assert.doesNotMatch(html, /<style|style=/);
  });

  test('refuses a nonce or CSP source that could break out of the policy', () => {
    const base = { kind: 'webview', scriptUri: 'a', styleUri: 'b', cspSource: 'https://x', nonce: NONCE } as const;
    assert.throws(() => renderPreviewPage({ ...base, nonce: 'short' }), /nonce/);
    assert.throws(() => renderPreviewPage({ ...base, nonce: `${NONCE}" onload="x` }), /nonce/);
    assert.throws(() => renderPreviewPage({ ...base, cspSource: "https://x; script-src 'unsafe-inline'" }), /source/);
    assert.throws(() => renderPreviewPage({ ...base, cspSource: "https://x 'unsafe-inline'" }), /source/);
    assert.throws(() => renderPreviewPage({ ...base, cspSource: '' }), /source/);
  });

  test("accepts the source list code-server gives, with 'self'", () => {
    const page = renderPreviewPage({ kind: 'webview', scriptUri: 'a', styleUri: 'b', cspSource: "'self' https://*.vscode-cdn.net", nonce: NONCE });
    assert.equal(directives(policyOf(page)).get('style-src'), `'self' https://*.vscode-cdn.net 'nonce-${NONCE}'`);
  });
});

describe('renderPreviewPage for a standalone page', () => {
  const script = 'console.log("</script><script>alert(1)</script>");\n//# sourceMappingURL=webview.js.map\n';
  const html = renderPreviewPage({
    kind: 'standalone',
    script: script.replace('<script>', '<scr" + "ipt>'),
    style: 'body { color: red; }\n/*# sourceMappingURL=webview.css.map */',
    nonce: NONCE,
    message: { type: 'preview', preview: HOSTILE },
    sourceRoot: 'file:///project/',
    title: `Traffic preview: ${HOSTILE.title}`,
  });

  test('inlines script and style under the nonce, without source map comments', () => {
    const policy = directives(policyOf(html));
    assert.equal(policy.get('script-src'), `'nonce-${NONCE}'`);
    assert.equal(policy.get('style-src'), `'nonce-${NONCE}'`);
    assert.equal(policy.get('img-src'), 'data:');
    assert.ok(html.includes(`<style nonce="${NONCE}">\nbody { color: red; }\n</style>`), html);
    assert.doesNotMatch(html, /sourceMappingURL/);
    // The bundle's own "</script" text cannot end its element.
    assert.ok(html.includes('console.log("<\\/script><scr" + "ipt>alert(1)<\\/script>");'), html);
  });

  test('embeds the data as escaped JSON that parses back to the same message', () => {
    const match = /<script type="application\/json" id="preview-data" nonce="[^"]+">([^]*?)<\/script>/.exec(html);
    assert.ok(match);
    const text = match[1]!;
    assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
    const expected = JSON.parse(JSON.stringify({ message: { type: 'preview', preview: HOSTILE }, sourceRoot: 'file:///project/' })) as unknown;
    assert.deepEqual(JSON.parse(text), expected);
    // Two script elements, the data and the bundle; none comes from the data.
    assert.equal(html.match(/<script/g)?.length, 2);
    assert.ok(!html.includes(HOSTILE_NAME));
  });

  test('escapes the title', () => {
    assert.ok(html.includes('<title>Traffic preview: Services of &lt;img src=x onerror=alert(1)&gt;</title>'), html);
  });

  test('refuses a bundle that would change how the page is parsed', () => {
    const options = { kind: 'standalone', style: '', nonce: NONCE, message: { type: 'empty', reason: 'none' } } as const;
    assert.throws(() => renderPreviewPage({ ...options, script: 'let a = "<!--";' }), /cannot be inlined/);
    assert.throws(() => renderPreviewPage({ ...options, script: 'let a = "<SCRIPT>";' }), /cannot be inlined/);
    assert.throws(() => renderPreviewPage({ ...options, script: '', style: 'a::after { content: "</style>" }' }), /cannot be inlined/);
  });
});

describe('JSON embedding, nonces and the policy', () => {
  test('embedJson escapes every character that matters inside a script element', () => {
    const value = { text: '</script><!-- & \u2028\u2029 >' };
    const embedded = embedJson(value);
    assert.equal(embedded, '{"text":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}');
    assert.deepEqual(JSON.parse(embedded), value);
  });

  test('createNonce gives a fresh base64 value each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{24}$/);
  });

  test('the policy without a webview source allows nothing but nonce code and data images', () => {
    assert.equal(
      contentSecurityPolicy(NONCE, undefined),
      `default-src 'none'; img-src data:; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; base-uri 'none'; form-action 'none';`,
    );
  });
});
