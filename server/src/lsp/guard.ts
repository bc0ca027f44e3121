/**
 * No exception crosses a handler: a failing request or notification is logged and answered with
 * an empty result, and the server keeps serving the others.
 */
import { describeError, type Logger } from './context';

export function guard<Args extends unknown[], Result>(
  log: Logger,
  name: string,
  fallback: Result,
  handler: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`${name} failed: ${describeError(error)}`);
      return fallback;
    }
  };
}
