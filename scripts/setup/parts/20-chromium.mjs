// Debian's Chromium, the browser the webview tests (test/webview, test/cli/preview) drive.
import { ensureDebianPackages } from '../apt.mjs';

export default async function setupChromium(log) {
  ensureDebianPackages('/usr/bin/chromium', ['chromium'], log);
}
