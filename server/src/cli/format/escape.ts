/**
 * Visible escapes for text output on a terminal or in a log. Names, messages and paths come from
 * the manifests and the file system: an escape sequence (`\x1b[…`) in a Service name could rewrite
 * the terminal, and a line break could forge a finding line. Every C0 control (U+0000–U+001F), DEL
 * (U+007F), C1 control (U+0080–U+009F), the Unicode line and paragraph separators and the bidi
 * controls (U+061C, U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) are shown as escapes: `\n`, `\r`,
 * `\t`, `\xHH` below U+0100 and `\uHHHH` above. Other text, backslashes included, is unchanged.
 * JSON and SARIF output are exact and do not use this.
 */

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character replaced by a visible escape (see the module comment). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (character) => {
    const named = NAMED[character];
    if (named !== undefined) return named;
    const code = character.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
