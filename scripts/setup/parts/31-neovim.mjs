// Neovim for test/neovim: a second, independent LSP client that drives the bundled language
// server over stdio. Debian's `neovim` package (0.7 on Debian 12) is enough.
import { ensureDebianPackages } from '../apt.mjs';

export default async function setupNeovim(log) {
  ensureDebianPackages('nvim', ['neovim'], log);
}
