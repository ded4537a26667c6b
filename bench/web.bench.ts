// Web benchmark: fill and submit the test site's 10-field job application and read the
// confirmation, for Hearth (over stdio, and in-process to show what the process boundary costs),
// the official @playwright/mcp server (over stdio, same Chromium) and a plain playwright-core script
// (the floor; a second floor also reads each new page's outline, as a model must), all in one run,
// rounds interleaved so machine noise falls on all alike. Reports tool calls, bytes returned to the
// client and wall time, each beside its baseline as a ratio. `--quick`: 3 rounds (CI smoke);
// default 12 rounds.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { findChromium } from '../shared/chromium.js';
import { startTestSite } from '../tests/fixtures/web/site.js';
import { ms, QUICK, ratio, saveResults, summarize, type Summary, table } from './stats.js';
import { floorContestant } from './web/floor.js';
import { applicant, type Contestant, workDir } from './web/flow.js';
import { hearthContestant } from './web/hearth.js';
import { hearthInProcessContestant } from './web/hearth-in-process.js';
import { playwrightMcpContestant } from './web/playwright-mcp.js';

const ROUNDS = QUICK ? 3 : 12;

interface Measured {
  contestant: Contestant;
  times: number[];
  calls: number[];
  bytes: number[];
}

async function main(): Promise<void> {
  const chromium = findChromium().path;
  const site = await startTestSite({ tableRows: 100 });
  const dir = workDir();
  const { data, expected } = applicant(dir);
  const contestants: Contestant[] = [
    floorContestant({ executablePath: chromium, origin: site.origin, data, expected }),
    floorContestant({ executablePath: chromium, origin: site.origin, data, expected, outlines: true }),
    hearthContestant({ home: join(dir, 'hearth-home'), origin: site.origin, data, expected, executablePath: chromium }),
    hearthInProcessContestant({ home: join(dir, 'hearth-in-process'), origin: site.origin, data, expected, executablePath: chromium }),
    playwrightMcpContestant({ dir: join(dir, 'playwright-mcp'), origin: site.origin, data, expected, executablePath: chromium }),
  ];
  const measured: Measured[] = contestants.map((contestant) => ({ contestant, times: [], calls: [], bytes: [] }));
  try {
    mkdirSync(join(dir, 'hearth-home'), { recursive: true });
    mkdirSync(join(dir, 'hearth-in-process'), { recursive: true });
    for (const m of measured) {
      const started = performance.now();
      await m.contestant.setup();
      console.log(`${m.contestant.name}: ready in ${ms(performance.now() - started)} (start, browser launch, one unmeasured run)`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate who goes first, so no contestant always runs right after another's browser work.
      for (let k = 0; k < measured.length; k++) {
        const m = measured[(round + k) % measured.length]!;
        const started = performance.now();
        const cost = await m.contestant.run();
        m.times.push(performance.now() - started);
        m.calls.push(cost.calls);
        m.bytes.push(cost.bytes);
      }
    }
  } finally {
    for (const m of measured) await m.contestant.close().catch(() => undefined);
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const [floor, seeing, hearth, inProcess, peer] = measured as [Measured, Measured, Measured, Measured, Measured];
  const floors = new Set([floor, seeing]);
  const stats = new Map<Measured, Summary>(measured.map((m) => [m, summarize(m.times)]));
  const p50 = (m: Measured) => stats.get(m)!.p50;
  // Calls and bytes can differ between rounds (a page caught mid-load, an event); report the median.
  const calls = (m: Measured) => summarize(m.calls).p50;
  const bytes = (m: Measured) => summarize(m.bytes).p50;
  const range = (values: number[]) =>
    Math.min(...values) === Math.max(...values)
      ? ''
      : ` (${Math.min(...values).toLocaleString('en-US')}–${Math.max(...values).toLocaleString('en-US')})`;
  console.log(`\nFill and submit the 10-field job application, then read the confirmation (median of ${ROUNDS} rounds, interleaved)\n`);
  table(
    [
      'contestant',
      'tool calls',
      'bytes to client',
      'wall time p50',
      'p95',
      'time vs floor',
      'time vs @playwright/mcp',
      'bytes vs @playwright/mcp',
    ],
    measured.map((m) => [
      m.contestant.name,
      floors.has(m) ? '—' : `${calls(m)}${range(m.calls)}`,
      floors.has(m) ? '—' : `${bytes(m).toLocaleString('en-US')}${range(m.bytes)}`,
      ms(p50(m)),
      ms(stats.get(m)!.p95),
      ratio(p50(m), p50(floor)),
      floors.has(m) ? '—' : ratio(p50(m), p50(peer)),
      floors.has(m) ? '—' : ratio(bytes(m), bytes(peer)),
    ]),
  );
  const targets = [
    { target: 'Hearth time ≤ 1.15× the floor', value: p50(hearth) / p50(floor), limit: 1.15 },
    { target: '(in-process) Hearth time ≤ 1.15× the floor', value: p50(inProcess) / p50(floor), limit: 1.15 },
    { target: 'Hearth time ≤ 0.5× @playwright/mcp', value: p50(hearth) / p50(peer), limit: 0.5 },
    { target: 'Hearth bytes ≤ 0.2× @playwright/mcp', value: bytes(hearth) / bytes(peer), limit: 0.2 },
  ];
  console.log('');
  // Not a target: how much of Hearth's gap to the floor is the outline a model needs to see.
  console.log(
    `seeing each new page costs the floor ${ratio(p50(seeing), p50(floor))}; Hearth is ${ratio(p50(hearth), p50(seeing))} of that floor (in-process ${ratio(p50(inProcess), p50(seeing))})\n`,
  );
  table(
    ['target', 'measured', 'met'],
    targets.map((t) => [t.target, `${t.value.toFixed(2)}×`, t.value <= t.limit ? 'yes' : 'NO']),
  );
  saveResults('web', {
    quick: QUICK,
    rounds: ROUNDS,
    chromium,
    contestants: measured.map((m) => ({
      name: m.contestant.name,
      calls: floors.has(m) ? null : calls(m),
      bytes: floors.has(m) ? null : bytes(m),
      bytesPerRound: floors.has(m) ? null : m.bytes,
      ms: stats.get(m),
      samples: m.times.map((t) => Math.round(t)),
    })),
    targets: targets.map((t) => ({ ...t, met: t.value <= t.limit })),
  });
}

await main();
