// The golden path (`hearth demo`): Ana applies for a job on the local job board from her CV and
// notes through `hearth run` — in draft mode with one approval, then on autopilot for a second
// listing — with the budget server's scripted provider playing the model, offline. The demo plays
// the person: it ingests her documents, approves the one preview, and switches the policy to
// autopilot for the second application.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CliIO } from '../cli-io.js';
import { runTask } from '../run/run-session.js';
import type { ApprovalRequest } from '../run/view.js';
import { auditSummary } from './audit-summary.js';
import { clearDemoDir } from './demo-dir.js';
import { goldenTask, ingestDocuments, prepareGoldenStage } from './golden-stage.js';
import { printer } from './print.js';
import { demoRunView } from './run-view.js';
import { connect } from './stage.js';

export async function goldenDemo(dir: string, io: CliIO): Promise<number> {
  const p = printer(io);
  const started = performance.now();
  clearDemoDir(dir);
  const stage = await prepareGoldenStage(dir, { kind: 'scripted' }, 'draft');
  const approvals: ApprovalRequest[] = [];
  const launch = {
    command: process.execPath,
    prefix: [...process.execArgv, process.argv[1]!],
    suffix: [],
    env: { ...(io.env as Record<string, string>), HEARTH_HOME: stage.home, HEARTH_LOG_LEVEL: 'warn' },
  };
  const controller = new AbortController();
  const limits = { rounds: 20, tokens: 200_000, usd: 0.5 };
  try {
    p.section('Hearth demo: apply for a job from your CV, with one approval');
    p.detail(
      [
        `data directory ${stage.home}`,
        `job board ${stage.board.url} (local; applying needs a sign-in, saved earlier as the browser session "lantern")`,
        `policy: draft mode; file root ${stage.documents}; web origin ${stage.board.origin}; LLM provider: scripted`,
        'THE MODEL IS SCRIPTED: the budget server’s scripted provider answers from golden-path.script.json, not a language model.',
        'With Ollama or an allowed cloud provider in the policy, `hearth run` uses that model instead.',
      ].join('\n'),
    );
    p.section('The person’s documents into memory');
    const memory = await connect('memory', stage.home, () => undefined);
    try {
      p.detail(await ingestDocuments(memory, stage.documents));
    } finally {
      await memory.close();
    }

    p.section('Draft mode: the backend role, one approval');
    // The same application task for one listing, in the given mode.
    const apply = (role: Parameters<typeof goldenTask>[0], mode: 'draft' | 'autopilot') =>
      runTask({
        task: goldenTask(role, stage.board.url),
        mode,
        servers: ['memory', 'web'],
        limits,
        tier: 'auto',
        home: stage.home,
        launch,
        view: demoRunView(p, (r) => approvals.push(r)),
        signal: controller.signal,
      });
    const first = await apply('backend', 'draft');

    p.section('Autopilot: the platform role, no questions');
    p.step('The person sets the policy to autopilot for the next application (policy.json "mode": "autopilot").');
    const policyFile = join(stage.home, 'policy.json');
    writeFileSync(policyFile, readFileSync(policyFile, 'utf8').replace('"mode": "draft"', '"mode": "autopilot"'));
    const second = await apply('platform', 'autopilot');

    p.section('What the job board received');
    const cv = createHash('sha256').update(readFileSync(stage.cvPath)).digest('hex');
    for (const a of stage.board.applications)
      p.detail(
        `${a.ref}: ${a.job}; resume ${a.resume.name} ${a.resume.bytes.length} bytes, ${a.resume.sha256 === cv ? 'identical to cv.pdf' : 'NOT the CV file'}; from ${String(a.fields.full_name)}, ${String(a.fields.work_mode)}, skills ${[a.fields.skills ?? []].flat().join(', ')}`,
      );
    p.detail(`${stage.board.applications.length} applications, ${stage.board.writes.length} POST requests in all`);
    p.section('Audit');
    const ok = auditSummary(stage.home, p, approvals.length);
    p.detail(`runs: hearth runs list --home ${stage.home}`);
    p.detail(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const applied = first.summary.outcome === 'answered' && second.summary.outcome === 'answered' && stage.board.applications.length === 2;
    return ok && applied ? 0 : 1;
  } finally {
    await stage.close();
  }
}
