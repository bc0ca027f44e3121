/**
 * The product version. The JSON import is resolved by esbuild when it bundles dist/cli.js (only
 * the `version` field is kept) and by tsx when the sources run directly, so both agree with
 * package.json without a build-time define.
 */
import { version } from '../../../package.json';

export const VERSION: string = version;
