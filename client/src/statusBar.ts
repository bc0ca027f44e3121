import * as vscode from 'vscode';
import { FindingTally, total, type FindingCounts } from './findingCounts';
import { COMMANDS } from './commands';
import type { IndexingParams } from '../../server/src/protocol/status';

export type ServerStatus = 'starting' | 'running' | 'stopped';

const TITLE = 'Service Lens';
const OPEN_PROBLEMS = 'workbench.actions.view.problems';

/**
 * The status bar item: "$(pulse) Service Lens" followed by the counts of Service Lens findings in
 * the workspace, or "indexing…" while the server scans the workspace. Clicking it opens Problems,
 * or the output when the server is not running.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly tally = new FindingTally();
  private readonly subscription: vscode.Disposable;
  private status: ServerStatus = 'starting';
  /** Workspace scans the server reported started and not yet finished. */
  private scans = 0;

  constructor() {
    this.item = vscode.window.createStatusBarItem('serviceLens.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = TITLE;
    this.subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (this.tally.update(event.uris)) this.render();
    });
    this.tally.reset();
    this.render();
    this.item.show();
  }

  setStatus(status: ServerStatus): void {
    if (status === this.status) return;
    this.status = status;
    if (status !== 'running') this.scans = 0;
    this.render();
  }

  /** The server's `serviceLens/indexing` notification. */
  setIndexing(params: IndexingParams): void {
    this.scans = Math.max(0, this.scans + (params.state === 'started' ? 1 : -1));
    this.render();
  }

  private get displayed(): DisplayedStatus {
    return this.status === 'running' && this.scans > 0 ? 'indexing' : this.status;
  }

  private render(): void {
    const counts = this.tally.counts;
    this.item.text = statusText(this.displayed, counts);
    this.item.tooltip = tooltip(this.displayed, counts, this.tally.files);
    this.item.accessibilityInformation = { label: accessibleLabel(this.displayed, counts), role: 'button' };
    this.item.command = this.status === 'stopped' ? COMMANDS.showOutput : OPEN_PROBLEMS;
    this.item.backgroundColor =
      this.status === 'stopped' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

/** What the item shows: the server's state, or `indexing` while a running server scans the workspace. */
type DisplayedStatus = ServerStatus | 'indexing';

function statusText(status: DisplayedStatus, counts: FindingCounts): string {
  if (status === 'starting') return `$(sync~spin) ${TITLE}`;
  if (status === 'indexing') return `$(sync~spin) ${TITLE}  indexing…`;
  if (status === 'stopped') return `$(circle-slash) ${TITLE}`;
  if (total(counts) === 0) return `$(pulse) ${TITLE}`;
  const parts = [`$(error) ${counts.errors}`, `$(warning) ${counts.warnings}`];
  const other = counts.information + counts.hints;
  if (other > 0) parts.push(`$(info) ${other}`);
  return `$(pulse) ${TITLE}  ${parts.join('  ')}`;
}

function describeCounts(counts: FindingCounts): string {
  if (total(counts) === 0) return 'No findings';
  const parts: string[] = [];
  const add = (count: number, one: string, many: string): void => {
    if (count > 0) parts.push(`${count} ${count === 1 ? one : many}`);
  };
  add(counts.errors, 'error', 'errors');
  add(counts.warnings, 'warning', 'warnings');
  add(counts.information, 'information', 'information');
  add(counts.hints, 'hint', 'hints');
  return parts.join(', ');
}

function tooltip(status: DisplayedStatus, counts: FindingCounts, files: number): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.appendMarkdown(`**${TITLE}**\n\n`);
  if (status === 'starting') {
    markdown.appendMarkdown('Starting the language server and indexing the workspace manifests…');
  } else if (status === 'indexing') {
    markdown.appendMarkdown('Indexing the workspace manifests…');
  } else if (status === 'stopped') {
    markdown.appendMarkdown('The language server is not running. Click to show the output; ');
    markdown.appendMarkdown('run **Service Lens: Restart Server** to start it again.');
  } else {
    const where = files === 1 ? 'in 1 file' : `in ${files} files`;
    markdown.appendMarkdown(total(counts) === 0 ? 'No findings in the workspace manifests.' : `${describeCounts(counts)} ${where}.`);
    markdown.appendMarkdown('\n\nClick to open Problems.');
  }
  return markdown;
}

function accessibleLabel(status: DisplayedStatus, counts: FindingCounts): string {
  if (status === 'starting') return `${TITLE}: starting`;
  if (status === 'indexing') return `${TITLE}: indexing`;
  if (status === 'stopped') return `${TITLE}: language server stopped`;
  return `${TITLE}: ${describeCounts(counts)}`;
}
