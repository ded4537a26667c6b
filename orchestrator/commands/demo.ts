// `hearth demo`: the golden path — apply for a job on a local board from the person's CV and notes
// through `hearth run`, with the scripted provider as the model (it says so). `hearth demo tour`
// shows each server on sample data instead. Everything happens in ./.hearth-demo, kept afterwards
// so you can look at it (`hearth runs list --home .hearth-demo`, `hearth audit tail --home …`).
import { resolve } from 'node:path';

import { HearthError } from '../../lib/errors.js';
import { packageInfo } from '../../shared/package-info.js';
import type { Command } from '../cli-io.js';
import { parseCommand } from '../config-flags.js';
import { goldenDemo } from '../demo/golden-demo.js';
import { tourDemo, TOURED } from '../demo/tour.js';
import { serverNames } from '../registry.js';

export const USAGE = `hearth demo [--dir .hearth-demo]
hearth demo tour [--dir .hearth-demo] [--servers ${TOURED.join(',')}]

hearth demo: the golden path, offline. A local job board, the person's CV (a PDF) and notes in
memory, and \`hearth run "apply to the backend role … with my CV"\`: find the listing, read it,
search the CV and notes, sign in with the saved session, fill the form with the CV attached, show
the preview, approve once, submit, check the confirmation, log the task — then on autopilot for a
second listing. The model is the budget server's scripted provider, and the demo says so.

hearth demo tour: each server through a real MCP client on sample data — search package docs,
analyse a CSV in the sandbox, fill a form in Chromium — in draft mode, the demo approving.`;

/** Configuration flags every command accepts that the demo, which stages its own, would ignore. */
const IGNORED_FLAGS = ['home', 'config', 'policy', 'mode', 'set', 'host', 'port'] as const;

export const demo: Command = async (args, io) => {
  const { values, positionals } = parseCommand(args, { dir: { type: 'string' }, servers: { type: 'string' } }, USAGE);
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  // The demo makes its own data directory, policy and configuration inside --dir; a flag that
  // would point it elsewhere is refused rather than silently ignored.
  const ignored = IGNORED_FLAGS.filter((flag) => values[flag] !== undefined);
  if (ignored.length)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `${ignored.map((f) => `--${f}`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not used; the demo keeps its data, policy and settings in --dir`,
      'Run `hearth demo --dir <new or empty folder>` (the default is .hearth-demo, cleared on every run).',
    );
  const dir = resolve(values.dir ?? '.hearth-demo');
  const which = positionals[0] ?? 'golden';
  if (which !== 'golden' && which !== 'tour')
    throw new HearthError(
      'INVALID_ARGUMENT',
      `demo: there is no demo named ${which}`,
      'Run `hearth demo` (the golden path) or `hearth demo tour`.',
    );
  if (which === 'golden') {
    if (values.servers !== undefined)
      throw new HearthError(
        'INVALID_ARGUMENT',
        '--servers: only the tour takes a list of servers',
        'Run `hearth demo tour --servers memory,web`.',
      );
    return goldenDemo(dir, io);
  }
  const chosen = (values.servers ?? TOURED.join(',')).split(',').filter(Boolean);
  const unknown = chosen.filter((n) => !(TOURED as readonly string[]).includes(n));
  if (unknown.length)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--servers: ${unknown.map((n) => (serverNames().includes(n) ? `${n} has no demo` : `no server named ${n}`)).join('; ')}`,
      `Choose from ${TOURED.join(', ')}.`,
    );
  return tourDemo(dir, chosen, io, packageInfo().root);
};
