/**
 * Entry point of `service-lens` (bundled to dist/cli.js). Exit status: 0 when no finding is at or
 * above `--fail-on`, 1 when one is, 2 for a usage or input/output error.
 */
import * as path from 'node:path';
import { parseCommandLine, USAGE, type CheckOptions } from './args';
import { isAtLeast, missingValuesFiles, relativePath, renderCharts, runCheck, type CheckResult } from './check';
import { loadPaths } from './files';
import { withoutListedPatches } from './listedPatches';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { escapeControls } from './format/escape';
import { skipNoteLine } from './format/skipNote';
import { ANSI, formatText, PLAIN } from './format/text';
import { runPreview } from './preview';
import { VERSION } from './version';
import { FactCache, cacheFileIn } from '../io/factCache';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export interface CommandIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTerminal: boolean;
  out(text: string): void;
  err(text: string): void;
}

/** Runs one command line; resolves to the exit status. Never rejects for bad input. */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      io.out(USAGE);
      return EXIT_CLEAN;
    case 'version':
      io.out(`${VERSION}\n`);
      return EXIT_CLEAN;
    case 'usage':
      io.err(`service-lens: ${command.message}\nRun "service-lens --help" for usage.\n`);
      return EXIT_ERROR;
    case 'check':
      return check(command.options, io);
    case 'preview':
      return runPreview(command.options, io);
  }
}

async function check(options: CheckOptions, io: CommandIo): Promise<number> {
  const loaded = loadPaths(options.paths, io.cwd, { followSymlinksOutside: options.followSymlinksOutside });
  for (const note of loaded.notes) io.err(`service-lens: ${escapeControls(note)}\n`);
  if (loaded.errors.length > 0) {
    for (const error of loaded.errors) io.err(`service-lens: ${escapeControls(error)}\n`);
    return EXIT_ERROR;
  }

  // A patch file whose kustomization is not read with it is no object to analyse (listedPatches.ts).
  const { files, notes: patchNotes } = withoutListedPatches(options.paths, loaded, io.cwd);
  for (const note of patchNotes) io.err(`service-lens: ${escapeControls(note)}\n`);

  // helm template stops on a values file it cannot read (`-f`), so a check with one would analyse
  // a configuration no one asked for: an input error, as a path that does not exist.
  const missingValues = missingValuesFiles(options, io.cwd);
  if (missingValues.length > 0) {
    for (const file of missingValues) io.err(`service-lens: --helm-values ${escapeControls(file)}: no such file\n`);
    return EXIT_ERROR;
  }

  const rendered = await renderCharts(files, options, io.cwd);
  for (const note of rendered.notes) io.err(`service-lens: ${escapeControls(note)}\n`);

  const cache = options.cacheDirectory === undefined ? undefined : openCache(path.resolve(io.cwd, options.cacheDirectory), io);
  let result: CheckResult;
  try {
    result = runCheck(files, options, cache, rendered.charts, loaded.folders);
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`service-lens: internal error during analysis\n${detail}\n`);
    return EXIT_ERROR;
  }
  for (const note of result.skipped) {
    const position = result.positionAt(note.fileId, note.span.start);
    io.err(skipNoteLine(relativePath(io.cwd, note.fileId), position.line + 1, position.character + 1, note.message));
  }

  const cacheError = cache?.save();
  if (cacheError !== undefined) io.err(`service-lens: could not write the fact cache ${escapeControls(cache?.file ?? '')}: ${escapeControls(cacheError)}\n`);

  io.out(render(result, options, io));
  const failOn = options.failOn;
  const failing = failOn !== 'none' && result.findings.some((finding) => isAtLeast(finding.severity, failOn));
  return failing ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** The fact cache of `--cache DIR`; one that cannot be used is noted on stderr and rebuilt. */
function openCache(directory: string, io: CommandIo): FactCache {
  // The CLI reads no setting that changes facts (podTemplatePaths is an editor setting).
  const cache = FactCache.load(cacheFileIn(directory, 'cli'), { settings: '{}', scope: 'cli' });
  if (cache.problem !== undefined) io.err(`service-lens: fact cache in ${escapeControls(directory)} not used (${cache.problem}); every file is read\n`);
  return cache;
}

function render(result: CheckResult, options: CheckOptions, io: CommandIo): string {
  switch (options.format) {
    case 'json':
      return formatJson(result, io.cwd);
    case 'sarif':
      return formatSarif(result, io.cwd);
    case 'text':
      return formatText(result, io.cwd, useColour(io) ? ANSI : PLAIN);
  }
}

/** Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
function useColour(io: CommandIo): boolean {
  const noColour = io.env['NO_COLOR'];
  return io.stdoutIsTerminal && (noColour === undefined || noColour === '');
}

// Run when executed (dist/cli.js or `tsx server/src/cli/main.ts`), not when imported by a test.
if (require.main === module) {
  const stdout = quietOnClosedPipe(process.stdout);
  const stderr = quietOnClosedPipe(process.stderr);
  void run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTerminal: process.stdout.isTTY === true,
    out: stdout,
    err: stderr,
  }).then((code) => {
    process.exitCode = code;
  });
}

/**
 * A writer for stdout or stderr that stops quietly once the reader has gone (EPIPE: `service-lens
 * check | head`, also with `2>&1`): the rest is dropped and the exit status stays the one the
 * findings imply. Other write errors still end the process.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (closed) return;
    try {
      stream.write(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      closed = true;
    }
  };
}
