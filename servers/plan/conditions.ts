// Conditions (`when`, `pre`, `post`) in CEL, a non-Turing-complete expression language evaluated by
// @marcbachmann/cel-js — never eval, new Function or a language that can loop. Each expression has a
// cost limit checked before it ever runs: a cap on its length and size, and on how deeply
// comprehensions (map, filter, all, exists) nest, since nesting is what multiplies work.
import { Environment, type ParseResult } from '@marcbachmann/cel-js';

export const LIMITS = { chars: 2_000, astNodes: 256, depth: 32, comprehensionNesting: 2 } as const;
const COMPREHENSIONS = new Set(['map', 'filter', 'all', 'exists', 'exists_one', 'existsOne', 'transformList', 'transformMap']);

export type Truth = { value: true } | { value: false } | { value: 'unknown'; why: string };

export interface ConditionContext {
  inputs: Record<string, unknown>;
  /** Each finished step: its output and status. A step missing here has not run (yet). */
  steps: Record<string, { output: unknown; status: string }>;
  /** For `post`: the step's own output. */
  output?: unknown;
}

interface AstNode {
  op: string;
  args: unknown;
}

function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && typeof (value as AstNode).op === 'string';
}

export class ConditionError extends Error {}

/** A parsed, cost-checked condition and the steps it reads. */
export interface Compiled {
  readonly source: string;
  readonly steps: ReadonlySet<string>;
  run(ctx: ConditionContext): unknown;
}

export class Conditions {
  private readonly env: Environment;

  constructor() {
    this.env = new Environment({
      limits: { maxAstNodes: LIMITS.astNodes, maxDepth: LIMITS.depth, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 },
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
    })
      .registerVariable('inputs', 'map')
      .registerVariable('steps', 'map')
      .registerVariable('output', 'dyn');
  }

  /** Parses and checks an expression; throws a ConditionError saying what is wrong with it. */
  compile(source: string): Compiled {
    if (source.length > LIMITS.chars) throw new ConditionError(`longer than ${LIMITS.chars} characters`);
    let parsed: ParseResult;
    try {
      parsed = this.env.parse(source);
    } catch (error) {
      throw new ConditionError(firstLine(error));
    }
    const steps = new Set<string>();
    walk(parsed.ast, 0, steps);
    const checked = parsed.check();
    if (!checked.valid) throw new ConditionError(firstLine(checked.error));
    if (checked.type !== 'bool' && checked.type !== 'dyn') throw new ConditionError(`gives a ${checked.type}, not true or false`);
    return {
      source,
      steps,
      run: (ctx): unknown => parsed({ inputs: ctx.inputs, steps: ctx.steps, output: ctx.output ?? null }) as unknown,
    };
  }

  /**
   * True, false, or unknown — unknown when the expression reads a step that has not run, or a value
   * that is not there yet. A type error at run time is a ConditionError.
   */
  evaluate(compiled: Compiled, ctx: ConditionContext): Truth {
    const missing = [...compiled.steps].filter((s) => !(s in ctx.steps));
    if (missing.length) return { value: 'unknown', why: `needs the output of step ${missing.join(', ')}` };
    let result: unknown;
    try {
      result = compiled.run(ctx);
    } catch (error) {
      const text = firstLine(error);
      if (/No such key|Unknown variable/.test(text)) return { value: 'unknown', why: text };
      throw new ConditionError(text);
    }
    if (typeof result !== 'boolean') throw new ConditionError(`gave ${typeof result}, not true or false`);
    return { value: result };
  }
}

/** Collects the step ids an expression reads and enforces the comprehension nesting limit. */
function walk(node: unknown, nesting: number, steps: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, nesting, steps);
    return;
  }
  if (!isNode(node)) return;
  if (node.op === '.' && Array.isArray(node.args)) {
    const [target, field] = node.args as [unknown, unknown];
    if (isNode(target) && target.op === 'id' && target.args === 'steps' && typeof field === 'string') steps.add(field);
  }
  let inner = nesting;
  if (node.op === 'rcall' && Array.isArray(node.args) && COMPREHENSIONS.has(String(node.args[0]))) {
    inner = nesting + 1;
    if (inner > LIMITS.comprehensionNesting)
      throw new ConditionError(`nests comprehensions (map, filter, all, exists) more than ${LIMITS.comprehensionNesting} deep`);
  }
  walk(node.args, inner, steps);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 300);
}
