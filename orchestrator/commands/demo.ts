// `hearth demo`: runs the servers on sample data through a real MCP client, in draft mode, with
// the demo playing the person who approves. Everything happens in ./.hearth-demo, kept afterwards
// so you can look at it (`hearth audit tail --home .hearth-demo`).
import { resolve } from 'node:path';

import type { Client } from '@modelcontextprotocol/client';

import { HearthError } from '../../lib/errors.js';
import { AuditLog } from '../../policies/audit.js';
import { openKernelDb } from '../../shared/kernel-db.js';
import { packageInfo } from '../../shared/package-info.js';
import type { Command } from '../cli-io.js';
import { parseCommand } from '../config-flags.js';
import { printer } from '../demo/print.js';
import { connect, prepareStage, writePolicy } from '../demo/stage.js';
import { codeDemo, memoryDemo } from '../demo/steps.js';
import { startDemoSite, webDemo } from '../demo/web-step.js';
import { serverNames } from '../registry.js';

// The servers the demo can show on sample data alone; the budget server needs a model provider.
const DEMOED = ['memory', 'code', 'web'] as const;

export const USAGE = `hearth demo [--dir .hearth-demo] [--servers ${DEMOED.join(',')}]

Runs each server through a real MCP client on sample data: search a small library of package
docs, analyse a CSV in the sandbox, fill and submit a form in Chromium. The policy is draft mode,
so each change asks for approval; the demo approves, showing you what was asked.`;

export const demo: Command = async (args, io) => {
  const { values } = parseCommand(args, { dir: { type: 'string' }, servers: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const chosen = (values.servers ?? DEMOED.join(',')).split(',').filter(Boolean);
  const unknown = chosen.filter((n) => !(DEMOED as readonly string[]).includes(n));
  if (unknown.length)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--servers: ${unknown.map((n) => (serverNames().includes(n) ? `${n} has no demo` : `no server named ${n}`)).join('; ')}`,
      `Choose from ${DEMOED.join(', ')}.`,
    );
  const p = printer(io);
  const stage = prepareStage(resolve(values.dir ?? '.hearth-demo'), packageInfo().root);
  const site = await startDemoSite();
  writePolicy(stage, [site.origin]);
  let approvals = 0;
  const shown = new Set<string>();
  const onApproval = ({ message }: { message: string }) => {
    approvals++;
    // The first question from each tool in full; later ones by their summary line.
    const tool = /wants to run (\S+)/.exec(message)?.[1] ?? message;
    if (shown.has(tool)) {
      p.step(`approval asked and given: ${message.split('\n')[2] ?? tool}`);
      return;
    }
    shown.add(tool);
    p.step('The server asks the person (MCP elicitation); the demo answers yes:');
    p.detail(message, 16);
  };
  p.section('Hearth demo');
  p.detail(
    `data directory ${stage.home}\npolicy: draft mode; file root ${stage.documents}; web origin ${site.origin}; no network for code`,
  );
  const started = performance.now();
  try {
    const runs: Record<string, (c: Client) => Promise<void>> = {
      memory: (c) => memoryDemo(c, p, stage.documents),
      code: (c) => codeDemo(c, p),
      web: (c) => webDemo(c, p, site.url),
    };
    for (const name of chosen) {
      p.section(`${name} server`);
      const client = await connect(name, stage.home, onApproval);
      try {
        await runs[name]!(client);
      } finally {
        await client.close();
      }
    }
  } finally {
    await site.close();
  }
  p.section('Audit');
  const db = openKernelDb(stage.home);
  try {
    const audit = new AuditLog(db);
    const verified = audit.verify();
    const rows = audit.tail(1000);
    const decisions = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.decision]: (acc[r.decision] ?? 0) + 1 }), {});
    p.detail(
      `${rows.length} calls recorded: ${Object.entries(decisions)
        .map(([d, n]) => `${n} ${d}`)
        .join(', ')}; ${approvals} approvals asked`,
    );
    p.detail(
      verified.ok
        ? `hash chain verified over ${verified.rows} rows (hearth audit verify --home ${stage.home})`
        : `AUDIT CHAIN BROKEN at row ${verified.badRow}: ${verified.problem}`,
    );
    p.detail(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return verified.ok ? 0 : 1;
  } finally {
    db.close();
  }
};
