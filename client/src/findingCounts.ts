import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../server/src/protocol/settings';

export interface FindingCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly information: number;
  readonly hints: number;
}

export const NO_FINDINGS: FindingCounts = { errors: 0, warnings: 0, information: 0, hints: 0 };

export function total(counts: FindingCounts): number {
  return counts.errors + counts.warnings + counts.information + counts.hints;
}

/** `base - removed + added`, per severity. */
function replace(base: FindingCounts, removed: FindingCounts, added: FindingCounts): FindingCounts {
  return {
    errors: base.errors - removed.errors + added.errors,
    warnings: base.warnings - removed.warnings + added.warnings,
    information: base.information - removed.information + added.information,
    hints: base.hints - removed.hints + added.hints,
  };
}

/** Counts the diagnostics of one file that come from Service Lens, by severity. */
export function countFindings(diagnostics: readonly vscode.Diagnostic[]): FindingCounts {
  let errors = 0;
  let warnings = 0;
  let information = 0;
  let hints = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    switch (diagnostic.severity) {
      case vscode.DiagnosticSeverity.Error:
        errors += 1;
        break;
      case vscode.DiagnosticSeverity.Warning:
        warnings += 1;
        break;
      case vscode.DiagnosticSeverity.Information:
        information += 1;
        break;
      case vscode.DiagnosticSeverity.Hint:
        hints += 1;
        break;
    }
  }
  return { errors, warnings, information, hints };
}

/**
 * Keeps the totals over all files up to date from diagnostic change events: only the files named
 * by an event are counted again, so an edit in a large workspace costs as much as the files it touches.
 */
export class FindingTally {
  private readonly perFile = new Map<string, FindingCounts>();
  private totals: FindingCounts = NO_FINDINGS;

  get counts(): FindingCounts {
    return this.totals;
  }

  get files(): number {
    return this.perFile.size;
  }

  /** Recounts the given files; returns whether the totals changed. */
  update(uris: readonly vscode.Uri[]): boolean {
    let changed = false;
    for (const uri of uris) {
      const key = uri.toString();
      const before = this.perFile.get(key) ?? NO_FINDINGS;
      const after = countFindings(vscode.languages.getDiagnostics(uri));
      if (total(after) === 0) this.perFile.delete(key);
      else this.perFile.set(key, after);
      if (sameCounts(before, after)) continue;
      this.totals = replace(this.totals, before, after);
      changed = true;
    }
    return changed;
  }

  /** Counts every file that has diagnostics, e.g. after activation. */
  reset(): void {
    this.perFile.clear();
    this.totals = NO_FINDINGS;
    this.update(vscode.languages.getDiagnostics().map(([uri]) => uri));
  }
}

function sameCounts(left: FindingCounts, right: FindingCounts): boolean {
  return (
    left.errors === right.errors &&
    left.warnings === right.warnings &&
    left.information === right.information &&
    left.hints === right.hints
  );
}
