/**
 * One `check` run on the engine: every loaded file goes into one AnalysisHost (one linking universe),
 * then findings and Service reports are read back for the formatters.
 */
import * as path from 'node:path';
import type { ServiceReport } from '../engine/reports';
import type { Finding, Position, Severity, SkipNote, Span } from '../engine/types';
import { AnalysisHost } from '../engine/workspace';
import type { CheckOptions } from './args';
import type { LoadedFile } from './files';

export interface CheckResult {
  /** Absolute paths of the analysed files, in load order. */
  readonly fileIds: readonly string[];
  readonly findings: readonly Finding[];
  readonly services: readonly ServiceReport[];
  readonly skipped: readonly SkipNote[];
  /** 0-based line/character (UTF-16) of an offset in an analysed file. */
  positionAt(fileId: string, offset: number): Position;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export function runCheck(files: readonly LoadedFile[], options: CheckOptions): CheckResult {
  // Unset options are undefined, which the engine reads as its defaults.
  const host = new AnalysisHost({
    defaultNamespace: options.defaultNamespace,
    clusterDomain: options.clusterDomain,
    rules: options.rules,
    kustomize: options.kustomize,
  });
  host.applyChange({ files: files.map((file) => ({ fileId: file.path, text: file.text })) });
  const snapshot = host.snapshot();
  const fileIds = files.map((file) => file.path);
  return {
    fileIds,
    findings: snapshot.allFindings(),
    services: snapshot.serviceReports(),
    skipped: fileIds.flatMap((fileId) => snapshot.skipped(fileId)),
    positionAt: (fileId, offset) => snapshot.positionAt(fileId, offset),
  };
}

export function rangeOf(result: CheckResult, fileId: string, span: Span): Range {
  return { start: result.positionAt(fileId, span.start), end: result.positionAt(fileId, span.end) };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { hint: 0, information: 1, warning: 2, error: 3 };

/** True when `severity` is at least as severe as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** A file's path relative to the working directory, with forward slashes on every platform. */
export function relativePath(cwd: string, fileId: string): string {
  return path.relative(cwd, fileId).split(path.sep).join('/');
}
