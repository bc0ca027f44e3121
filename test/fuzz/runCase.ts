/**
 * Runs one fuzz case through every public entry of the engine and checks what must hold for any
 * input: nothing throws, every span lies inside its file's text, positions are valid and agree with
 * how an LSP client counts lines, and incremental updates equal a from-scratch analysis.
 * Never throws itself: problems come back as data.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { EngineConfig } from '../../server/src/engine/config';
import type { TrafficRequest } from '../../server/src/engine/traffic/request';
import { RULE_IDS } from '../../server/src/engine/rules/registry';
import type { Finding, Span } from '../../server/src/engine/types';
import { TestHost } from '../support/testHost';
import type { FuzzCase } from './arbitraries';

export type ProblemKind = 'exception' | 'invalid';

export interface Problem {
  readonly kind: ProblemKind;
  /** The engine call or check that failed. */
  readonly where: string;
  readonly detail: string;
}

export interface CaseOutcome {
  readonly durationMs: number;
  readonly problems: readonly Problem[];
}

export interface RunOptions {
  /** Also compare positions with an LSP client's line counting, where CR, CRLF and LF all end a line. */
  readonly lspPositions?: boolean;
  /** Also compare the incremental result with a fresh Workspace over the final files. */
  readonly fromScratch?: boolean;
}

const RULES: ReadonlySet<string> = new Set(RULE_IDS);
const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'information', 'hint']);
const SKIP_REASONS: ReadonlySet<string> = new Set(['template', 'yaml-error', 'not-text', 'too-large']);
/** Enough problems to understand a case; more only repeat. */
const MAX_PROBLEMS = 20;

export function runCase(fuzzCase: FuzzCase, options: RunOptions = {}): CaseOutcome {
  const started = performance.now();
  const checker = new Checker(options);
  checker.run(fuzzCase);
  return { durationMs: performance.now() - started, problems: checker.problems };
}

/**
 * Checks a workspace the caller updates itself (for example a file truncated at every offset):
 * `texts` must hold every file of the workspace; only the files in `only` are probed.
 */
export function checkWorkspace(workspace: TestHost, texts: ReadonlyMap<string, string>, only: readonly string[], options: RunOptions = {}): Problem[] {
  const checker = new Checker(options, texts);
  checker.checkState(workspace, [0.25, 0.5, 0.75], only);
  if (options.fromScratch) checker.compareWithFresh(workspace);
  return checker.problems;
}

class Checker {
  readonly problems: Problem[] = [];
  private readonly texts: Map<string, string>;
  private config: Partial<EngineConfig> = {};
  private readonly starts = new Map<string, number[]>();
  private readonly documents = new Map<string, TextDocument | undefined>();

  constructor(
    private readonly options: RunOptions,
    texts?: ReadonlyMap<string, string>,
  ) {
    this.texts = new Map(texts);
  }

  run(fuzzCase: FuzzCase): void {
    this.config = fuzzCase.config;
    const workspace = this.call('new Workspace', () => new TestHost(fuzzCase.config));
    if (!workspace) return;
    for (const file of fuzzCase.files) this.texts.set(file.fileId, file.text);
    const loaded = this.call('setFiles', () => workspace.setFiles(fuzzCase.files.map((file) => [file.fileId, file.text] as const)));
    if (loaded) this.expectIds('setFiles', loaded, [...this.texts.keys()]);
    for (const edit of fuzzCase.edits) {
      if (edit.kind === 'set') {
        this.texts.set(edit.fileId, edit.text);
        const changed = this.call('setFile', () => workspace.setFile(edit.fileId, edit.text));
        if (changed) this.expectIds('setFile', changed, [edit.fileId]);
      } else if (edit.kind === 'remove') {
        const existed = this.texts.delete(edit.fileId);
        const changed = this.call('removeFile', () => workspace.removeFile(edit.fileId));
        if (changed && existed) this.expectIds('removeFile', changed, [edit.fileId]);
      } else {
        this.config = { ...this.config, ...edit.config };
        this.call('setConfig', () => workspace.setConfig(edit.config));
      }
    }
    this.checkState(workspace, fuzzCase.probes);
    if (this.options.fromScratch !== false) this.compareWithFresh(workspace);
  }

  /**
   * Checks the state of a workspace holding `texts`: the findings of every file; hovers, previews
   * and skip notes of the files in `only` (default: all); and, without `only`, the views over the
   * whole universe (all findings, Service reports, the workspace preview).
   */
  checkState(workspace: TestHost, probes: readonly number[], only?: readonly string[]): void {
    const ids = this.call('fileIds', () => workspace.fileIds());
    if (ids) this.expectSameSet('fileIds', ids, [...this.texts.keys()]);
    for (const fileId of this.texts.keys()) {
      for (const finding of this.call('findings', () => workspace.findings(fileId)) ?? []) this.checkFinding(workspace, fileId, finding);
    }
    for (const fileId of only ?? [...this.texts.keys()]) this.probeFile(workspace, fileId, probes);
    if (only) return;
    this.checkPreview(workspace, { scope: 'workspace' });
    const all = this.call('allFindings', () => workspace.allFindings());
    const perFile = this.call('findings', () => [...this.texts.keys()].sort().flatMap((fileId) => workspace.findings(fileId)));
    if (all && perFile && JSON.stringify(all) !== JSON.stringify(perFile)) this.invalid('allFindings', 'differs from the findings of every file');
    const reports = this.call('serviceReports', () => workspace.serviceReports());
    if (reports) this.checkFileSpans(workspace, 'serviceReports', reports);
  }

  /** Skip notes, hovers and previews of one file, at the probes, the ends and finding boundaries. */
  private probeFile(workspace: TestHost, fileId: string, probes: readonly number[]): void {
    const text = this.texts.get(fileId) ?? '';
    for (const note of this.call('skipped', () => workspace.skipped(fileId)) ?? []) {
      this.checkSpan(workspace, 'skipped', fileId, note.span);
      if (!SKIP_REASONS.has(note.reason)) this.invalid('skipped', `unknown reason ${JSON.stringify(note.reason)}`);
    }
    const inside = probes.map((probe) => Math.floor(probe * text.length));
    const findings = this.call('findings', () => workspace.findings(fileId)) ?? [];
    for (const finding of findings.slice(0, 6)) inside.push(finding.span.start, finding.span.end);
    for (const offset of new Set([-1, 0, text.length, text.length + 1, ...inside])) {
      const hover = this.call('hoverAt', () => workspace.hoverAt(fileId, offset));
      if (hover) {
        this.checkSpan(workspace, 'hoverAt', fileId, hover.span);
        this.checkFileSpans(workspace, 'hoverAt', hover);
      }
    }
    // Previews cover many objects each: the Service at two places, the file and namespace at one.
    const previewAt = [findings[0]?.span.start ?? 0, inside[0] ?? text.length];
    for (const offset of new Set(previewAt)) this.checkPreview(workspace, { scope: 'service', fileId, offset });
    this.checkPreview(workspace, { scope: 'file', fileId, offset: previewAt[1]! });
    this.checkPreview(workspace, { scope: 'namespace', fileId, offset: previewAt[0]! });
  }

  private checkPreview(workspace: TestHost, request: TrafficRequest): void {
    const preview = this.call(`trafficPreview(${request.scope})`, () => workspace.trafficPreview(request));
    if (preview) this.checkFileSpans(workspace, `trafficPreview(${request.scope})`, preview);
  }

  private checkFinding(workspace: TestHost, fileId: string, finding: Finding): void {
    const where = `finding ${finding.ruleId}`;
    if (finding.fileId !== fileId) this.invalid(where, `fileId ${JSON.stringify(finding.fileId)} in the findings of ${JSON.stringify(fileId)}`);
    if (!RULES.has(finding.ruleId)) this.invalid(where, 'unknown rule id');
    if (!SEVERITIES.has(finding.severity)) this.invalid(where, `severity ${JSON.stringify(finding.severity)}`);
    if (typeof finding.message !== 'string' || finding.message.length === 0) this.invalid(where, 'empty message');
    if (this.config.rules?.[finding.ruleId] === 'off') this.invalid(where, 'reported although the rule is off');
    this.checkSpan(workspace, where, fileId, finding.span);
    for (const related of finding.related) this.checkSpan(workspace, `${where} related`, related.fileId, related.span);
  }

  /** Walks plain data and checks every `{ fileId, span }` it holds. */
  private checkFileSpans(workspace: TestHost, where: string, value: unknown): void {
    const seen = new Set<object>();
    const visit = (node: unknown, depth: number): void => {
      if (node === null || typeof node !== 'object' || seen.has(node) || depth > 64) return;
      seen.add(node);
      const record = node as Record<string, unknown>;
      const span = record['span'];
      if (typeof record['fileId'] === 'string' && isSpan(span)) this.checkSpan(workspace, where, record['fileId'], span);
      for (const child of Array.isArray(node) ? node : Object.values(record)) visit(child, depth + 1);
    };
    visit(value, 0);
  }

  private checkSpan(workspace: TestHost, where: string, fileId: string, span: Span): void {
    const text = this.texts.get(fileId);
    if (text === undefined) {
      this.invalid(where, `span in ${JSON.stringify(fileId)}, which is not in the workspace`);
      return;
    }
    const { start, end } = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > text.length) {
      this.invalid(where, `span ${start}..${end} outside 0..${text.length} of ${JSON.stringify(fileId)}`);
      return;
    }
    for (const offset of [start, end]) this.checkPosition(workspace, where, fileId, text, offset);
  }

  private checkPosition(workspace: TestHost, where: string, fileId: string, text: string, offset: number): void {
    const position = this.call('positionAt', () => workspace.positionAt(fileId, offset));
    if (!position) return;
    const starts = this.lineStarts(fileId, text);
    const line = lineOf(starts, offset);
    const expected = { line, character: offset - starts[line]! };
    if (position.line !== expected.line || position.character !== expected.character) {
      this.invalid(`${where} positionAt`, `offset ${offset} gave ${position.line}:${position.character}, expected ${expected.line}:${expected.character}`);
      return;
    }
    const back = this.call('offsetAt', () => workspace.offsetAt(fileId, position));
    if (back !== undefined && back !== offset) this.invalid(`${where} offsetAt`, `${position.line}:${position.character} gave offset ${back}, expected ${offset}`);
    // Between the CR and LF of a line break a client has no position; it is where the line ends.
    const insideCrlf = text.charCodeAt(offset - 1) === 0x0d && text.charCodeAt(offset) === 0x0a;
    const document = this.options.lspPositions && !insideCrlf ? this.clientDocument(fileId, text) : undefined;
    if (document) {
      const client = document.positionAt(offset);
      if (client.line !== position.line || client.character !== position.character) {
        this.invalid(`${where} lsp position`, `offset ${offset}: engine ${position.line}:${position.character}, LSP client ${client.line}:${client.character}`);
      }
    }
  }

  /** The file as an LSP client sees it. */
  private clientDocument(fileId: string, text: string): TextDocument | undefined {
    if (!this.documents.has(fileId)) this.documents.set(fileId, TextDocument.create('file:///fuzz.yaml', 'yaml', 1, text));
    return this.documents.get(fileId);
  }

  /** Offsets where lines start: after LF, CRLF or a lone CR, as LSP counts lines. */
  private lineStarts(fileId: string, text: string): number[] {
    let starts = this.starts.get(fileId);
    if (!starts) {
      starts = [0];
      for (let at = 0; at < text.length; at++) {
        const code = text.charCodeAt(at);
        if (code === 0x0d && text.charCodeAt(at + 1) === 0x0a) at++;
        if (code === 0x0d || code === 0x0a) starts.push(at + 1);
      }
      this.starts.set(fileId, starts);
    }
    return starts;
  }

  compareWithFresh(workspace: TestHost): void {
    const fresh = this.call('fresh Workspace', () => {
      const other = new TestHost(this.config);
      other.setFiles([...this.texts]);
      return other;
    });
    if (!fresh) return;
    const incremental = this.call('allFindings', () => JSON.stringify(workspace.allFindings()));
    const scratch = this.call('fresh allFindings', () => JSON.stringify(fresh.allFindings()));
    if (incremental !== undefined && scratch !== undefined && incremental !== scratch) {
      this.invalid('incremental', `findings differ from a from-scratch analysis:\n  incremental ${clip(incremental)}\n  scratch     ${clip(scratch)}`);
    }
  }

  private expectIds(where: string, returned: readonly string[], required: readonly string[]): void {
    for (const fileId of required) {
      if (!returned.includes(fileId)) this.invalid(where, `did not return ${JSON.stringify(fileId)}`);
    }
  }

  private expectSameSet(where: string, actual: readonly string[], expected: readonly string[]): void {
    const left = [...new Set(actual)].sort();
    const right = [...new Set(expected)].sort();
    if (JSON.stringify(left) !== JSON.stringify(right)) this.invalid(where, `${clip(JSON.stringify(left))} instead of ${clip(JSON.stringify(right))}`);
  }

  private call<T>(where: string, action: () => T): T | undefined {
    try {
      return action();
    } catch (error) {
      this.add({ kind: 'exception', where, detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return undefined;
    }
  }

  private invalid(where: string, detail: string): void {
    this.add({ kind: 'invalid', where, detail });
  }

  private add(problem: Problem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
  }
}

function isSpan(value: unknown): value is Span {
  return value !== null && typeof value === 'object' && typeof (value as Span).start === 'number' && typeof (value as Span).end === 'number';
}

function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

function clip(text: string, length = 600): string {
  return text.length <= length ? text : `${text.slice(0, length)}… (${text.length} characters)`;
}

/** One line per problem, for test failures and the fuzz script. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.kind} in ${problem.where}: ${problem.detail}`).join('\n');
}
