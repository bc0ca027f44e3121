/**
 * Documents open in the editor. Their text overrides the file on disk until they are closed; the
 * store applies incremental changes and is keyed by canonical URI.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { isManifestName } from './uris';

const MANIFEST_LANGUAGES = new Set(['yaml', 'json', 'jsonc', 'helm']);

export class OpenDocuments {
  private readonly documents = new Map<string, TextDocument>();

  open(uri: string, languageId: string, version: number, text: string): TextDocument {
    const document = TextDocument.create(uri, languageId, version, text);
    this.documents.set(uri, document);
    return document;
  }

  /** Applies editor changes; undefined when the document is not open. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): TextDocument | undefined {
    const document = this.documents.get(uri);
    if (!document) {
      return undefined;
    }
    const updated = TextDocument.update(document, changes, version);
    this.documents.set(uri, updated);
    return updated;
  }

  close(uri: string): boolean {
    return this.documents.delete(uri);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  isOpen(uri: string): boolean {
    return this.documents.has(uri);
  }

  version(uri: string): number | undefined {
    return this.documents.get(uri)?.version;
  }

  uris(): string[] {
    return [...this.documents.keys()];
  }
}

/** Whether an open document is a manifest the server analyses (by file name or language). */
export function isManifestDocument(document: TextDocument): boolean {
  return isManifestName(document.uri) || MANIFEST_LANGUAGES.has(document.languageId);
}
