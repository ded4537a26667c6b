// A server's domain object, opened on the first call that needs it rather than at start: a client
// asks for tools/list before anything else, and listing the tools needs none of the stores, parsers
// or indexes behind them. Owned by the server that makes it (never a module-level singleton), closed
// with it. An open that fails becomes the calling tool's error, and the next call tries again.
import { describeError, HearthError, isHearthError } from '../lib/errors.js';

export class OnFirstUse<T> {
  private opening: Promise<T> | undefined;
  private closed = false;

  /**
   * @param what what is opened, for the error a failed open becomes (e.g. "the memory store")
   * @param open loads the modules and opens the object; called again after a failure
   * @param release closes an opened object
   */
  constructor(
    private readonly what: string,
    private readonly open: () => Promise<T>,
    private readonly release: (value: T) => Promise<void> | void,
  ) {}

  /** The object, opened by this call when no call has yet. */
  get(): Promise<T> {
    if (this.closed)
      return Promise.reject(new HearthError('UNAVAILABLE', `${this.what} is closed`, 'The server is shutting down; start it again.'));
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw isHearthError(error)
        ? error
        : new HearthError(
            'UNAVAILABLE',
            `${this.what} could not be opened: ${describeError(error)}`,
            'Check the server log and its settings, then call the tool again.',
            {
              cause: error,
            },
          );
    });
    return this.opening;
  }

  /** Releases the object if it was opened (after an open in flight has finished); says whether it was. */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    const opening = this.opening;
    if (!opening) return false;
    let value: T;
    try {
      value = await opening;
    } catch {
      return false;
    }
    await this.release(value);
    return true;
  }
}
