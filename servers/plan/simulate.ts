// The dry-run of a whole plan: each step in order — read tools run (they change nothing), write and
// external tools answer with their preview (`_meta["hearth/dryRun"]`) — collected into one report:
// per step the preview, the conditions that hold, fail or cannot be known yet, and the values that
// only exist once an earlier write has run, shown as ⟨from step X⟩. Nothing changes anywhere.
import { createHash } from 'node:crypto';

import { type Preview, renderPreview } from '../../lib/preview.js';
import type { CallOutcome } from './call-result.js';
import type { ToolInfo } from './catalog.js';
import type { ConditionContext, Conditions, Truth } from './conditions.js';
import { type Known, MissingOutput, Placeholder, resolveArgs, template } from './refs.js';
import type { ValidPlan } from './validate.js';

export type TruthValue = true | false | 'unknown';

export interface SimulatedStep {
  id: string;
  tool: string;
  server: string;
  effect: ToolInfo['effect'];
  /** would-run, skipped (a condition is false), may-run (a condition cannot be known yet), blocked (it would fail). */
  status: 'would-run' | 'skipped' | 'may-run' | 'blocked';
  /** The arguments as they would be sent; values known only later are ⟨from step X⟩. */
  args: unknown;
  conditions: { when?: TruthValue; pre?: TruthValue; post?: 'after the step runs' };
  preview?: Preview | undefined;
  /** A read step's result, as the run would see it now (bounded). */
  output?: unknown;
  /** Steps whose output this step's arguments wait for. */
  waitsFor: string[];
  problem?: string | undefined;
  approval: 'plan' | 'step';
}

export interface Simulation {
  steps: SimulatedStep[];
  /** Per changing step, the hash its previewed arguments have — what an approval of this report covers. */
  templates: Record<string, string>;
  /** Steps whose outputs the simulation could not know. */
  placeholders: string[];
  summary: string;
}

export interface SimulationParts {
  conditions: Conditions;
  call(tool: ToolInfo, args: unknown, dryRun: boolean, signal?: AbortSignal): Promise<CallOutcome>;
  progress?: (done: number, total: number, message: string) => Promise<void>;
  signal?: AbortSignal;
}

const OUTPUT_PREVIEW_CHARS = 2_000;

export function templateHash(args: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(template(args))))
    .digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

export async function simulate(valid: ValidPlan, inputs: Record<string, unknown>, parts: SimulationParts): Promise<Simulation> {
  const known = new Map<string, unknown>();
  const unknown = new Set<string>();
  const skipped = new Set<string>();
  const steps: SimulatedStep[] = [];
  const templates: Record<string, string> = {};
  const ctx = (): ConditionContext => ({
    inputs,
    steps: Object.fromEntries([...known].map(([id, output]) => [id, { output, status: 'done' }])),
  });
  const resolver = {
    input: (name: string) => inputs[name],
    output: (id: string): Known => (known.has(id) ? { known: true, value: known.get(id) } : { known: false, from: id }),
  };

  let done = 0;
  for (const step of valid.order) {
    parts.signal?.throwIfAborted();
    await parts.progress?.(done, valid.order.length, `simulating ${step.id}`);
    const tool = valid.tools.get(step.tool)!;
    const report: SimulatedStep = {
      id: step.id,
      tool: step.tool,
      server: tool.server,
      effect: tool.effect,
      status: 'would-run',
      args: null,
      conditions: {},
      waitsFor: [],
      approval: step.approval,
    };
    steps.push(report);
    done++;
    const deps = valid.deps.get(step.id) ?? [];
    if (deps.some((d) => skipped.has(d))) {
      report.status = 'skipped';
      report.problem = `step ${deps.find((d) => skipped.has(d))} is skipped, and this step depends on it`;
      skipped.add(step.id);
      continue;
    }
    const when = step.when === undefined ? undefined : truth(parts.conditions, step.when, ctx());
    const pre = step.pre === undefined ? undefined : truth(parts.conditions, step.pre, ctx());
    if (when !== undefined) report.conditions.when = when.value;
    if (pre !== undefined) report.conditions.pre = pre.value;
    if (step.post !== undefined) report.conditions.post = 'after the step runs';
    if (when?.value === false) {
      report.status = 'skipped';
      skipped.add(step.id);
      continue;
    }
    if (pre?.value === false) {
      report.status = 'blocked';
      report.problem = `pre condition ${step.pre} is false: the step would fail`;
    } else if (when?.value === 'unknown' || pre?.value === 'unknown') report.status = 'may-run';

    let args: unknown;
    try {
      args = resolveArgs(step.args, resolver);
    } catch (error) {
      if (!(error instanceof MissingOutput)) throw error;
      report.status = 'blocked';
      report.problem = error.message;
      unknown.add(step.id);
      continue;
    }
    report.args = template(args);
    report.waitsFor = placeholdersIn(args);
    if (tool.effect !== 'read') templates[step.id] = templateHash(args);

    if (tool.effect === 'read' && report.waitsFor.length === 0 && report.status !== 'blocked') {
      const outcome = await parts.call(tool, report.args, false, parts.signal);
      if (outcome.ok) {
        known.set(step.id, outcome.output);
        report.output = bounded(outcome.output);
      } else {
        report.status = 'blocked';
        report.problem = `${outcome.error.code}: ${outcome.error.message}`;
        unknown.add(step.id);
      }
      continue;
    }
    unknown.add(step.id);
    if (tool.effect === 'read') continue;
    const outcome = await parts.call(tool, report.args, true, parts.signal);
    if (outcome.ok && outcome.preview) report.preview = outcome.preview;
    else if (!outcome.ok) {
      if (report.waitsFor.length)
        report.problem = `the preview needs the values from step ${report.waitsFor.join(', ')} (${outcome.error.message})`;
      else {
        report.status = 'blocked';
        report.problem = `${outcome.error.code}: ${outcome.error.message}`;
      }
    }
  }
  await parts.progress?.(done, valid.order.length, 'simulated');
  const counts = countBy(steps.map((s) => s.status));
  const changing = steps.filter((s) => s.effect !== 'read' && s.status !== 'skipped').length;
  const summary = `${steps.length} steps: ${Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}; ${changing} would change something`;
  return { steps, templates, placeholders: [...unknown], summary };
}

function truth(conditions: Conditions, source: string, ctx: ConditionContext): Truth {
  try {
    return conditions.evaluate(conditions.compile(source), ctx);
  } catch (error) {
    return { value: 'unknown', why: error instanceof Error ? error.message : String(error) };
  }
}

function placeholdersIn(value: unknown, found = new Set<string>()): string[] {
  if (value instanceof Placeholder) found.add(value.from);
  else if (Array.isArray(value)) for (const v of value) placeholdersIn(v, found);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) placeholdersIn(v, found);
  return [...found];
}

function bounded(value: unknown): unknown {
  const text = JSON.stringify(value) ?? 'null';
  return text.length <= OUTPUT_PREVIEW_CHARS
    ? value
    : `${text.slice(0, OUTPUT_PREVIEW_CHARS)}… [${text.length - OUTPUT_PREVIEW_CHARS} more characters]`;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

const MARK: Record<SimulatedStep['status'], string> = { 'would-run': '●', skipped: '○', 'may-run': '◐', blocked: '✗' };
const truthText = (t: boolean | string) => (t === true ? 'true' : t === false ? 'false' : t);

/** The report as text: one block per step, in the order the steps would run. */
export function renderSimulation(sim: Simulation): string {
  const lines = [`Simulation (nothing was changed): ${sim.summary}`, ''];
  sim.steps.forEach((s, i) => {
    lines.push(
      `${MARK[s.status]} ${i + 1}. ${s.id} — ${s.tool} (${s.effect}) ${s.status}${s.approval === 'step' ? ', asks again when it runs' : ''}`,
    );
    const conds = Object.entries(s.conditions).map(([k, v]) => `${k}: ${truthText(v)}`);
    if (conds.length) lines.push(`   conditions: ${conds.join('; ')}`);
    if (s.waitsFor.length) lines.push(`   values ⟨from step ${s.waitsFor.join(', ')}⟩ are known only after that step runs`);
    if (s.problem) lines.push(`   note: ${s.problem}`);
    if (s.preview)
      lines.push(
        ...renderPreview(s.preview)
          .split('\n')
          .map((l) => `   ${l}`),
      );
    else if (s.status !== 'skipped') lines.push(`   args: ${JSON.stringify(s.args).slice(0, 400)}`);
  });
  return lines.join('\n');
}
