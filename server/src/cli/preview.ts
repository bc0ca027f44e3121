/**
 * `service-lens preview [paths…] --out <file.html> [--overlay <path>]`: the traffic preview of every
 * Service as one standalone HTML page (the same page as the editor panel, data embedded), for a CI
 * job to attach to a review; with `--overlay`, only the Services one kustomization builds (an
 * overlay, or a base built alone), as the editor's build switcher shows them. Exit status: 0 when
 * the page is written, 2 for a usage or input/output error (an `--overlay` that names no
 * kustomization of the paths given).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNonce, renderPreviewPage } from '../../../client/webview/page';
import type { FileSpan } from '../engine/types';
import { AnalysisHost, type Snapshot } from '../engine/workspace';
import { mapLocations, type HostMessage, type SourceLink } from '../protocol/traffic';
import type { Command } from './args';
import { relativePath } from './check';
import { loadPaths } from './files';
import { withoutListedPatches } from './listedPatches';
import { escapeControls } from './format/escape';
import { skipNoteLine } from './format/skipNote';

const EXIT_WRITTEN = 0;
const EXIT_ERROR = 2;

/** Time the preview of all Services may take before the page is written with those built so far. */
const PREVIEW_MS = 10_000;

export interface PreviewOptions {
  /** Files and directories as given; `.` when none are. */
  readonly paths: readonly string[];
  /** The HTML file to write, relative to the working directory. */
  readonly out: string;
  readonly defaultNamespace: string | undefined;
  readonly clusterDomain: string | undefined;
  /** `--follow-symlinks-outside`: follow links whose real path leaves the path given. */
  readonly followSymlinksOutside: boolean;
  /** `--overlay`: a kustomization folder or file, relative to the working directory; undefined: every build. */
  readonly overlay?: string | undefined;
}

export interface PreviewIo {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
}

/** The options `preview` accepts from the parsed command line; anything else is a usage error. */
export interface PreviewArguments {
  readonly out?: string | undefined;
  readonly format?: string | undefined;
  readonly 'fail-on'?: string | undefined;
  readonly rule?: readonly string[] | undefined;
  readonly 'default-namespace'?: string | undefined;
  readonly 'cluster-domain'?: string | undefined;
  readonly 'follow-symlinks-outside'?: boolean | undefined;
  readonly cache?: string | undefined;
  readonly helm?: string | undefined;
  readonly 'helm-values'?: readonly string[] | undefined;
  readonly overlay?: string | undefined;
}

export function parsePreviewCommand(values: PreviewArguments, paths: readonly string[]): Command {
  for (const option of ['format', 'fail-on', 'rule', 'cache'] as const) {
    if (values[option] !== undefined) return { kind: 'usage', message: `--${option} is not an option of preview.` };
  }
  // The preview shows the workspace folder and its overlays; a chart's render is a scope of its own.
  for (const option of ['helm', 'helm-values'] as const) {
    if (values[option] !== undefined) return { kind: 'usage', message: `--${option} is an option of check only: preview does not render Helm charts (their templates are skipped).` };
  }
  const out = values.out;
  if (out === undefined || out.trim() === '') return { kind: 'usage', message: 'preview needs --out <file.html>.' };
  const defaultNamespace = values['default-namespace'];
  if (defaultNamespace !== undefined && defaultNamespace.trim() === '') return { kind: 'usage', message: '--default-namespace needs a namespace name.' };
  const clusterDomain = values['cluster-domain'];
  if (clusterDomain !== undefined && clusterDomain.trim() === '') return { kind: 'usage', message: '--cluster-domain needs a domain.' };
  const overlay = values.overlay;
  if (overlay !== undefined && overlay.trim() === '') return { kind: 'usage', message: '--overlay needs a kustomization folder.' };
  return {
    kind: 'preview',
    options: {
      paths: paths.length > 0 ? paths : ['.'],
      out,
      defaultNamespace,
      clusterDomain,
      followSymlinksOutside: values['follow-symlinks-outside'] === true,
      overlay,
    },
  };
}

export function runPreview(options: PreviewOptions, io: PreviewIo): number {
  const assets = readAssets();
  if (typeof assets === 'string') {
    io.err(`service-lens: ${assets}\n`);
    return EXIT_ERROR;
  }
  const loaded = loadPaths(options.paths, io.cwd, { followSymlinksOutside: options.followSymlinksOutside });
  for (const note of loaded.notes) io.err(`service-lens: ${escapeControls(note)}\n`);
  if (loaded.errors.length > 0) {
    for (const error of loaded.errors) io.err(`service-lens: ${escapeControls(error)}\n`);
    return EXIT_ERROR;
  }

  // A patch file whose kustomization is not read with it is no Service or workload (listedPatches.ts).
  const { files, notes: patchNotes } = withoutListedPatches(options.paths, loaded, io.cwd);
  for (const note of patchNotes) io.err(`service-lens: ${escapeControls(note)}\n`);

  let message: HostMessage;
  try {
    const host = new AnalysisHost({ defaultNamespace: options.defaultNamespace, clusterDomain: options.clusterDomain });
    host.applyChange({ files: files.map((file) => ({ fileId: file.path, text: file.text })) });
    const workspace = host.snapshot();
    for (const file of files) {
      for (const note of workspace.skipped(file.path)) {
        const position = workspace.positionAt(note.fileId, note.span.start);
        io.err(skipNoteLine(relativePath(io.cwd, note.fileId), position.line + 1, position.character + 1, note.message));
      }
    }
    let overlay: string | undefined;
    if (options.overlay !== undefined) {
      overlay = workspace.kustomizationAt(path.resolve(io.cwd, options.overlay));
      if (overlay === undefined) {
        io.err(`service-lens: --overlay ${escapeControls(options.overlay)} names no kustomization among the paths given.\n`);
        return EXIT_ERROR;
      }
    }
    const started = performance.now();
    const built = workspace.trafficPreview({ scope: 'workspace', overlay }, () => performance.now() - started > PREVIEW_MS);
    const preview = built && overlay !== undefined ? { ...built, title: `${built.title} as built by ${relativePath(io.cwd, path.dirname(overlay))}` } : built;
    message =
      preview === undefined || preview.services.length === 0
        ? { type: 'empty', reason: `No Service in ${options.overlay ?? options.paths.join(', ')}.` }
        : { type: 'preview', preview: mapLocations(preview, (location) => sourceLink(workspace, location)) };
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`service-lens: internal error during analysis\n${detail}\n`);
    return EXIT_ERROR;
  }

  const html = renderPreviewPage({
    kind: 'standalone',
    script: assets.script,
    style: assets.style,
    nonce: createNonce(),
    message,
    sourceRoot: `${pathToFileURL(io.cwd).href.replace(/\/$/, '')}/`,
    title: message.type === 'preview' ? `Traffic preview: ${message.preview.title}` : 'Traffic preview',
  });
  const target = path.resolve(io.cwd, options.out);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, html);
  } catch (error) {
    io.err(`service-lens: cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ERROR;
  }
  const count = message.type === 'preview' ? message.preview.services.length : 0;
  const shown = relativePath(io.cwd, target);
  io.out(`Wrote ${escapeControls(shown.startsWith('..') ? target : shown)}: ${count} Service${count === 1 ? '' : 's'}.\n`);
  return EXIT_WRITTEN;
}

/**
 * The page script and stylesheet: next to the CLI bundle (dist/cli.js beside dist/webview.js), or in
 * dist/ of the repository when the CLI runs from source.
 */
function readAssets(): { script: string; style: string } | string {
  const folders = [__dirname, path.resolve(__dirname, '..', '..', '..', 'dist')];
  for (const folder of folders) {
    const script = path.join(folder, 'webview.js');
    const style = path.join(folder, 'webview.css');
    if (fs.existsSync(script) && fs.existsSync(style)) {
      try {
        return { script: fs.readFileSync(script, 'utf8'), style: fs.readFileSync(style, 'utf8') };
      } catch (error) {
        return `cannot read the preview page assets: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
  return `the preview page assets (webview.js, webview.css) are missing beside ${__dirname}; rebuild with "npm run build".`;
}

function sourceLink(workspace: Snapshot, location: FileSpan): SourceLink {
  const { line, character } = workspace.positionAt(location.fileId, location.span.start);
  return { uri: pathToFileURL(location.fileId).href, line, character };
}

