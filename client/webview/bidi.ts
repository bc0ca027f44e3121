/**
 * Bidirectional text from manifests. A Service name may hold a right-to-left override (U+202E) or
 * another bidi control that reorders the text around it ("Trojan Source"): the page isolates every
 * string (each is its own `<bdi>`, see dom.ts) and shows each control as a visible marker such as
 * `<U+202E>` instead of applying it. The controls are those of Unicode UAX #9: ALM (U+061C),
 * LRM/RLM (U+200E, U+200F), the embeddings and overrides U+202A–U+202E and the isolates
 * U+2066–U+2069.
 */

const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A piece of a string: plain text, or one bidi control. */
export type BidiPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'control'; readonly code: string };

/** Whether `text` holds a bidi control character. */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** `text` cut at its bidi controls; each control becomes a part of its own with its code (`U+202E`). */
export function bidiParts(text: string): BidiPart[] {
  const parts: BidiPart[] = [];
  let start = 0;
  for (const match of text.matchAll(BIDI_CONTROLS)) {
    if (match.index > start) parts.push({ kind: 'text', text: text.slice(start, match.index) });
    parts.push({ kind: 'control', code: controlCode(match[0]) });
    start = match.index + match[0].length;
  }
  if (start < text.length) parts.push({ kind: 'text', text: text.slice(start) });
  return parts;
}

/** `text` with every bidi control written as `<U+XXXX>` (for attributes and titles, which hold no markup). */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (control) => `<${controlCode(control)}>`);
}

function controlCode(control: string): string {
  return `U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
