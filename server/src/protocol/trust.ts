/**
 * Workspace trust, as the client tells the server. Rendering a Helm chart runs an external program
 * (`helm`) on workspace files, so the server does it only in a workspace the user trusts
 * (https://code.visualstudio.com/api/extension-guides/workspace-trust). Shared by the extension
 * and the language server; imports nothing.
 *
 * The VS Code client sends `{ workspaceTrusted }` in `initializationOptions` and the notification
 * below when the user grants trust later (trust is never withdrawn while a window is open). A
 * client that says nothing is untrusted: other editors opt in with
 * `initializationOptions: { workspaceTrusted: true }`.
 */

/** Client → server notification: the user has just trusted the workspace. No parameters (`{}`). */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'serviceLens/workspaceTrusted';

/** The part of `initializationOptions` about trust. */
export interface TrustInitializationOptions {
  readonly workspaceTrusted: boolean;
}

/** Whether `initializationOptions` say the workspace is trusted: only an explicit `workspaceTrusted: true` does. */
export function isWorkspaceTrusted(initializationOptions: unknown): boolean {
  return (
    typeof initializationOptions === 'object' &&
    initializationOptions !== null &&
    (initializationOptions as Record<string, unknown>)['workspaceTrusted'] === true
  );
}
