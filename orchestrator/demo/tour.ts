// The server tour (`hearth demo tour`): each server through a real MCP client on sample data, in
// draft mode, with the demo playing the person who approves — search package docs, analyse a CSV in
// the sandbox, fill and submit a form in Chromium.
import type { Client } from '@modelcontextprotocol/client';

import type { CliIO } from '../cli-io.js';
import { auditSummary } from './audit-summary.js';
import { printer } from './print.js';
import { connect, prepareStage, writePolicy } from './stage.js';
import { codeDemo, memoryDemo } from './steps.js';
import { startDemoSite, webDemo } from './web-step.js';

export const TOURED = ['memory', 'code', 'web'] as const;

export async function tourDemo(dir: string, chosen: readonly string[], io: CliIO, repo: string): Promise<number> {
  const p = printer(io);
  const stage = prepareStage(dir, repo);
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
  p.section('Hearth demo: the server tour');
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
  const ok = auditSummary(stage.home, p, approvals);
  p.detail(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return ok ? 0 : 1;
}
