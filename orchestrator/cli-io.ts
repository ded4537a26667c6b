// What a command may touch: its output streams and the environment. Commands never call
// process.exit; they return an exit code, so they can be run in-process by tests.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
};

export type Command = (args: string[], io: CliIO) => Promise<number>;
