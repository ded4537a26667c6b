// What a command may touch: its output streams and the environment. Commands never call
// process.exit; they return an exit code, so they can be run in-process by tests.
import { inert } from '../lib/terminal-text.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

// Commands print what tools and models supplied (previews, arguments, audit summaries): every line
// is made inert before it reaches the terminal.
export const processIO: CliIO = {
  out: (text) => process.stdout.write(inert(text.endsWith('\n') ? text : `${text}\n`)),
  err: (text) => process.stderr.write(inert(text.endsWith('\n') ? text : `${text}\n`)),
  env: process.env,
};

export type Command = (args: string[], io: CliIO) => Promise<number>;
