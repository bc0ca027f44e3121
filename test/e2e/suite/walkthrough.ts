import assert from 'node:assert/strict';
import * as vscode from 'vscode';

type Media = { markdown?: string; svg?: string; image?: string | Record<string, string> };
interface Step {
  readonly id: string;
  readonly description?: string;
  readonly media?: Media;
}
interface Walkthrough {
  readonly id: string;
  readonly steps?: readonly Step[];
}

function mediaPaths(media: Media | undefined): string[] {
  if (!media) return [];
  const image = typeof media.image === 'string' ? [media.image] : Object.values(media.image ?? {});
  return [media.markdown, media.svg, ...image].filter((path): path is string => typeof path === 'string');
}

/**
 * Every walkthrough step's media file ships in the installed extension, and every `command:` link
 * of a step names a command that exists once the extension is active.
 */
export async function checkWalkthrough(extension: vscode.Extension<unknown>): Promise<string> {
  const manifest = extension.packageJSON as { contributes?: { walkthroughs?: readonly Walkthrough[] } };
  const walkthroughs = manifest.contributes?.walkthroughs ?? [];
  assert.ok(walkthroughs.length > 0, 'the extension contributes a walkthrough');
  const commands = new Set(await vscode.commands.getCommands(false));
  const problems: string[] = [];
  let steps = 0;
  for (const walkthrough of walkthroughs) {
    for (const step of walkthrough.steps ?? []) {
      steps += 1;
      const paths = mediaPaths(step.media);
      if (paths.length === 0) problems.push(`${walkthrough.id}/${step.id}: no media`);
      for (const path of paths) {
        try {
          await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, path));
        } catch {
          problems.push(`${walkthrough.id}/${step.id}: ${path} is not in the installed extension`);
        }
      }
      for (const match of (step.description ?? '').matchAll(/\(command:([\w.]+)/g)) {
        if (!commands.has(match[1]!)) problems.push(`${walkthrough.id}/${step.id}: links to the unknown command ${match[1]}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  return `${steps} steps, media and command links present`;
}
