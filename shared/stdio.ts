// Serving one Hearth server over stdio. stdout carries only protocol messages: anything that tries
// to print to it (a stray console.log in a dependency) is sent to stderr instead.
import { format } from 'node:util';

import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';

import { describeError } from '../lib/errors.js';
import { inert } from '../lib/terminal-text.js';
import { LineGuard, MAX_MESSAGE_BYTES } from './message-size.js';
import type { HearthServer } from './server.js';

export interface StdioRun {
  /** Resolves when the client has gone and the server has closed. */
  done: Promise<void>;
  close(): Promise<void>;
}

export function runStdio(server: HearthServer): StdioRun {
  // The one place that reroutes console output: away from stdout, through the redactor, made inert.
  const toStderr = (...args: unknown[]) => void process.stderr.write(`${inert(server.kernel.redactor.text(format(...args)))}\n`);
  /* eslint-disable no-console */
  console.log = console.info = console.debug = console.warn = console.error = console.trace = toStderr;
  /* eslint-enable no-console */
  const log = server.kernel.log;
  // Messages over the limit are answered with an error instead of closing the connection (the
  // transport's own buffer limit would end the process); the transport never sees them.
  const guard = new LineGuard(MAX_MESSAGE_BYTES, ({ id, bytes }) => {
    log.warn({ bytes, id }, 'dropped a message over the size limit');
    if (id === undefined) return;
    void transport
      .send({
        jsonrpc: '2.0',
        id,
        error: {
          code: -32600,
          message: `the message is ${bytes} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit of this server; it was not processed`,
          data: {
            maxBytes: MAX_MESSAGE_BYTES,
            hint: 'Send less per call: split the files or texts over several calls, or pass large documents by path.',
          },
        },
      })
      .catch((error: unknown) => log.debug({ err: describeError(error) }, 'could not answer an oversized message'));
  });
  // The guard is ended by `close`, not by stdin: the transport ends when its input ends, and ending
  // it aborts the calls in flight — a call that had already reached the outside world would be left
  // with its outcome unknown. A client that goes away lets them finish (and record their results
  // under their idempotency keys) first.
  process.stdin.pipe(guard, { end: false });
  const transport = new StdioServerTransport(guard, process.stdout, { maxBufferSize: MAX_MESSAGE_BYTES + 1024 * 1024 });
  const handle = serveStdio(() => server.connect('stdio'), {
    transport,
    onerror: (error) => log.warn({ err: describeError(error) }, 'stdio transport error'),
  });
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await server.drain();
      guard.end();
      try {
        await handle.close();
      } catch (error) {
        log.debug({ err: describeError(error) }, 'closing the stdio transport');
      }
      await server.close();
      resolveDone();
    })();
    return closing;
  };
  process.stdin.once('end', () => void close());
  process.stdin.once('close', () => void close());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void close());
  log.info({ server: server.name, tools: server.tools.length }, 'serving over stdio');
  return { done, close };
}
