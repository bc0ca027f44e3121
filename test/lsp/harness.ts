/**
 * LSP test sessions: the bundled language server (dist/server.js) driven by the shared protocol
 * client (test/support/lspClient.ts) in a temporary copy of a fixture workspace. `LspSession.start`
 * waits for the initial scan; `launchServer` starts a server on a workspace the test owns and does
 * not wait, so a test can edit, hover and change the disk while the scan runs.
 * Build first (`npm run build`; `npm test` does).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient, type LspClientOptions } from '../support/lspClient';

export { messageText, positionAt, positionOf, type LspClient } from '../support/lspClient';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_BUNDLE = path.join(REPOSITORY_ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(REPOSITORY_ROOT, 'test', 'fixtures', 'lsp');

function requireBundle(): void {
  if (!fs.existsSync(SERVER_BUNDLE)) {
    throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first.`);
  }
}

export interface SessionOptions {
  /** Folder under test/fixtures/lsp copied into the temporary workspace. */
  readonly fixture: string;
  /** Workspace folders, relative to the copy (default: the copy itself). */
  readonly folders?: readonly string[];
  /** The `serviceLens` section answered to `workspace/configuration`. */
  readonly settings?: Record<string, unknown>;
  /** The `files.exclude` section. */
  readonly filesExclude?: Record<string, unknown>;
  /** Runs on the copy before the server starts (extra files, links). */
  readonly prepare?: (root: string) => void;
  /** `stdio` (default, `--stdio`) or `ipc` (`--node-ipc`, as the VS Code extension starts it). */
  readonly transport?: 'stdio' | 'ipc';
  /** `initializationOptions` of `initialize` (`{ workspaceTrusted: true }` lets the server render Helm charts). */
  readonly initializationOptions?: Record<string, unknown>;
}

/** A server on a temporary copy of a fixture; disposing of it also removes the copy. */
export class LspSession extends LspClient {
  /** Copies the fixture, starts the server, initializes it and waits for the initial scan to finish. */
  static async start(options: SessionOptions): Promise<LspSession> {
    requireBundle();
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-lsp-')));
    fs.cpSync(path.join(FIXTURES, options.fixture), root, { recursive: true });
    options.prepare?.(root);
    const clientOptions: LspClientOptions = { ...options, root, nodeArguments: [SERVER_BUNDLE] };
    const { child, connection } = LspClient.spawnServer(clientOptions);
    const session = new LspSession(root, child, connection, clientOptions);
    try {
      await session.initialize(options.folders ?? ['.']);
      await session.waitForScans(1);
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return session;
  }

  /** Shuts the server down (killing it if it does not exit) and removes the workspace copy. */
  override async dispose(): Promise<void> {
    try {
      await super.dispose();
    } finally {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }
}

/** Runs `body` with a started session and always disposes of it. */
export async function withSession(options: SessionOptions, body: (session: LspSession) => Promise<void>): Promise<void> {
  const session = await LspSession.start(options);
  try {
    await body(session);
  } finally {
    await session.dispose();
  }
}

/**
 * Starts a server on a workspace the caller owns (default entry: the bundle) and sends `initialize`
 * and `initialized`; does not wait for the scan.
 */
export function launchServer(options: Omit<LspClientOptions, 'nodeArguments'> & { readonly nodeArguments?: readonly string[] }): Promise<LspClient> {
  if (!options.nodeArguments) requireBundle();
  return LspClient.launch({ ...options, nodeArguments: options.nodeArguments ?? [SERVER_BUNDLE] });
}
