// `hearth passphrase set|clear`: the HTTP passphrase, stored only as an argon2id hash.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';

import { hash } from '@node-rs/argon2';

import { HearthError } from '../../lib/errors.js';
import { ensureDir } from '../../lib/home.js';
import { loadConfig } from '../../shared/config.js';
import { passphraseFile } from '../../shared/http-credentials.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';

export const USAGE = `hearth passphrase set    (reads the passphrase from the terminal, or from stdin)
hearth passphrase clear

HTTP clients may then authenticate with Authorization: Bearer <passphrase>. Only an argon2id hash
is stored, in <home>/http-passphrase (mode 0600).

${CONFIG_HELP}`;

const MIN_LENGTH = 12;

async function readPassphrase(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Hide what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  try {
    process.stderr.write('passphrase: ');
    const first = await rl.question('');
    process.stderr.write('\nagain: ');
    const second = await rl.question('');
    process.stderr.write('\n');
    if (first !== second)
      throw new HearthError('INVALID_ARGUMENT', 'the two passphrases differ', 'Run the command again and type the same passphrase twice.');
    return first;
  } finally {
    rl.close();
  }
}

export const passphrase: Command = async (args, io) => {
  const { values, positionals } = parseCommand(args, { help: { type: 'boolean' } }, USAGE);
  const [action] = positionals;
  if (values.help || (action !== 'set' && action !== 'clear')) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const { config } = loadConfig(configFlags(values), io.env);
  const file = passphraseFile(config.home);
  if (action === 'clear') {
    if (existsSync(file)) rmSync(file);
    io.out('passphrase removed');
    return 0;
  }
  const text = await readPassphrase();
  if (text.length < MIN_LENGTH)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `the passphrase is ${text.length} characters long`,
      `Use at least ${MIN_LENGTH} characters; several unrelated words work well.`,
    );
  ensureDir(config.home);
  writeFileSync(file, `${await hash(text)}\n`, { mode: 0o600 });
  io.out(`passphrase set (argon2id hash in ${file}); restart \`hearth serve\` to use it`);
  return 0;
};
