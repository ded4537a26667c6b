// pino logging to stderr (never stdout: on a stdio server stdout carries the protocol) or to a file.
// Every line passes through the redactor, and is made inert for a terminal, before it is written.
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

import { type Logger, pino } from 'pino';

import { ensureDir } from '../lib/home.js';
import { inert } from '../lib/terminal-text.js';
import type { Redactor } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  level: string;
  file?: string | undefined;
  redactor: Redactor;
  name: string;
}

export interface OwnedLogger {
  logger: Logger;
  close(): void;
}

export function createLogger(options: LoggerOptions): OwnedLogger {
  let fd = 2;
  if (options.file) {
    ensureDir(dirname(options.file));
    fd = openSync(options.file, 'a', 0o600);
  }
  const destination = {
    write(line: string): void {
      writeSync(fd, inert(options.redactor.text(line)));
    },
  };
  const logger = pino({ name: options.name, level: options.level, base: { pid: process.pid } }, destination);
  return {
    logger,
    close() {
      if (fd !== 2) closeSync(fd);
    },
  };
}
