/**
 * Where the keystroke benchmark types: the first value of the selector of a Service that has a
 * planted fault. Typing a character there breaks the selector (the port fault gives way to an
 * unmatched selector) and deleting it restores the file, so every edit changes the findings.
 */
import type { Fault, FaultType, ManifestFile } from './corpus';

export interface EditTarget {
  readonly fault: Fault;
  readonly file: ManifestFile;
  /** 0-based position right after the selector value's last character. */
  readonly line: number;
  readonly character: number;
  readonly selectorValue: string;
}

/** Port faults first: there a broken selector swaps one rule's finding for another's. */
const PREFERENCE: readonly FaultType[] = [
  'targetport-numeric-not-exposed',
  'targetport-name-missing',
  'protocol-mismatch',
  'selector-other-namespace',
  'selector-no-match',
];

const SELECTOR_KEY = /^(\s*)selector:\s*(#.*)?$/;
const PAIR = /^(\s+[A-Za-z0-9./_-]+:\s+["']?)([A-Za-z0-9._-]+)/;

/** The place to type, or undefined when no faulty Service has a block-style selector (tiny workspaces). */
export function findEditTarget(faults: readonly Fault[], files: readonly ManifestFile[]): EditTarget | undefined {
  const byPath = new Map(files.map((file) => [file.relative, file]));
  for (const type of PREFERENCE) {
    for (const fault of faults) {
      if (fault.type !== type) continue;
      const file = byPath.get(fault.file);
      const place = file ? selectorValueEnd(file.text, fault.serviceLine - 1) : undefined;
      if (file && place) return { fault, file, ...place };
    }
  }
  return undefined;
}

function selectorValueEnd(text: string, fromLine: number): { line: number; character: number; selectorValue: string } | undefined {
  const lines = text.split(/\r?\n/);
  for (let index = fromLine; index < lines.length; index++) {
    const line = lines[index]!;
    if (index > fromLine && /^(---|\.\.\.)/.test(line)) return undefined; // end of the Service's document
    const key = SELECTOR_KEY.exec(line);
    if (!key) continue;
    const pair = PAIR.exec(lines[index + 1] ?? '');
    if (!pair || pair[1]!.search(/\S/) <= key[1]!.length) return undefined;
    return { line: index + 1, character: pair[1]!.length + pair[2]!.length, selectorValue: pair[2]! };
  }
  return undefined;
}
