/**
 * Cursor markers in LSP fixture workspaces, in the style of the rule fixtures: a comment line
 * `#   ^ @name` names the position of its caret on the nearest line above that is not a marker.
 * Markers are YAML comments, so the server reads the files as they are. Results (locations) are
 * named back by the marker at their start, else shown as `file:line:character`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Location, Position } from 'vscode-languageserver-protocol';

export interface Marker {
  readonly name: string;
  /** Path relative to the workspace root, '/'-separated. */
  readonly file: string;
  readonly position: Position;
}

const MARKER = /^\s*#\s*(\^)\s+@(\S+)\s*$/;

/** Every marker of the files under `root`. */
export function readMarkers(root: string): Map<string, Marker> {
  const out = new Map<string, Marker>();
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) addMarkers(root, full, out);
    }
  };
  walk(root);
  return out;
}

function addMarkers(root: string, file: string, out: Map<string, Marker>): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let target = -1;
  lines.forEach((line, index) => {
    const match = MARKER.exec(line);
    if (!match) {
      target = index;
      return;
    }
    const name = match[2]!;
    if (out.has(name)) throw new Error(`Marker @${name} is defined twice`);
    out.set(name, { name, file: path.relative(root, file).split(path.sep).join('/'), position: { line: target, character: line.indexOf('^') } });
  });
}

/** Names results by their start: `@marker`, or `file:line:character` (1-based line) when no marker is there. */
export function nameLocations(root: string, markers: ReadonlyMap<string, Marker>, locations: readonly Location[] | null): string[] {
  return (locations ?? []).map((location) => nameLocation(root, markers, location)).sort();
}

export function nameLocation(root: string, markers: ReadonlyMap<string, Marker>, location: Location): string {
  const file = path.relative(root, new URL(location.uri).pathname).split(path.sep).join('/');
  const { line, character } = location.range.start;
  for (const marker of markers.values()) {
    if (marker.file === file && marker.position.line === line && marker.position.character === character) return `@${marker.name}`;
  }
  return `${file}:${line + 1}:${character}`;
}
