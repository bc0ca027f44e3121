import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { SHOW_TRAFFIC_PREVIEW } from './ids';

/**
 * Hover middleware: Service hovers end with a `command:` link that opens the traffic preview.
 * Their Markdown is trusted for that one command only; every other command link stays inert.
 */
export const trustPreviewLinks: NonNullable<Middleware['provideHover']> = async (document, position, token, next) => {
  const hover = await next(document, position, token);
  for (const content of hover?.contents ?? []) {
    if (content instanceof vscode.MarkdownString) {
      content.isTrusted = { enabledCommands: [SHOW_TRAFFIC_PREVIEW] };
    }
  }
  return hover;
};
