// Static validation of a plan against the tools that exist: the order steps run in, references,
// conditions, and each step's arguments against its tool's input schema. Every problem names the
// step, the field and the fix; validation never calls a tool.

import type { ToolCatalog, ToolInfo } from './catalog.js';
import { ConditionError, type Conditions } from './conditions.js';
import type { Plan, Step } from './plan-schema.js';
import { findRefs, type Located } from './refs.js';

export interface PlanIssue {
  /** The step the problem is in, when it is in one. */
  step?: string;
  /** Where in the plan: `steps[2].args.url`, `outputs.id`. */
  field: string;
  problem: string;
  fix: string;
}

export interface ValidPlan {
  plan: Plan;
  /** The steps in the order they run: each after the steps it depends on, otherwise in plan order. */
  order: Step[];
  /** Each step's dependencies, resolved (the default is the previous step). */
  deps: Map<string, string[]>;
  tools: Map<string, ToolInfo>;
}

export type Validation = { ok: true; valid: ValidPlan } | { ok: false; issues: PlanIssue[] };

const MAX_ISSUES = 50;

/** Every tool a plan calls, its steps' and their undos'. */
export function toolsOf(plan: Plan): string[] {
  return [...new Set(plan.steps.flatMap((s) => (s.compensate ? [s.tool, s.compensate.tool] : [s.tool])))];
}

export function validatePlan(plan: Plan, catalog: ToolCatalog, conditions: Conditions): Validation {
  const issues: PlanIssue[] = [];
  const index = new Map<string, number>();
  plan.steps.forEach((step, i) => {
    if (index.has(step.id))
      issues.push({
        step: step.id,
        field: `steps[${i}].id`,
        problem: `step id ${step.id} is used twice`,
        fix: 'Give every step its own id.',
      });
    else index.set(step.id, i);
  });

  const deps = new Map<string, string[]>();
  plan.steps.forEach((step, i) => {
    const list = step.dependsOn ?? (i > 0 ? [plan.steps[i - 1]!.id] : []);
    list.forEach((dep, j) => {
      if (!index.has(dep))
        issues.push({
          step: step.id,
          field: `steps[${i}].dependsOn[${j}]`,
          problem: `depends on step ${dep}, which does not exist`,
          fix: `Use one of ${[...index.keys()].slice(0, 10).join(', ')}.`,
        });
      else if (dep === step.id)
        issues.push({
          step: step.id,
          field: `steps[${i}].dependsOn[${j}]`,
          problem: 'depends on itself',
          fix: 'Remove it from dependsOn.',
        });
    });
    deps.set(
      step.id,
      list.filter((d) => index.has(d) && d !== step.id),
    );
  });

  const order = topologicalOrder(plan, deps, issues);
  const ancestors = ancestry(deps);

  const tools = new Map<string, ToolInfo>();
  plan.steps.forEach((step, i) => {
    const base = `steps[${i}]`;
    const tool = checkTool(step.tool, catalog, step.id, `${base}.tool`, issues);
    if (tool) tools.set(step.tool, tool);
    checkArgs(step.args, tool, plan, step.id, `${base}.args`, { has: (id: string) => ancestors(step.id).has(id) }, tools, catalog, issues);
    for (const field of ['when', 'pre', 'post'] as const) {
      const source = step[field];
      if (source === undefined) continue;
      try {
        const compiled = conditions.compile(source);
        for (const used of compiled.steps) {
          if (!index.has(used))
            issues.push({
              step: step.id,
              field: `${base}.${field}`,
              problem: `reads step ${used}, which does not exist`,
              fix: 'Name an earlier step.',
            });
          else if (!ancestors(step.id).has(used) && !(field === 'post' && used === step.id))
            issues.push({
              step: step.id,
              field: `${base}.${field}`,
              problem: `reads step ${used}, which does not run before this step`,
              fix: `Add ${used} to dependsOn, or move the step after ${used}.`,
            });
        }
      } catch (error) {
        if (!(error instanceof ConditionError)) throw error;
        issues.push({
          step: step.id,
          field: `${base}.${field}`,
          problem: `the expression ${JSON.stringify(source.slice(0, 120))} ${error.message}`,
          fix: 'Write a CEL expression that gives true or false, over inputs.<name> and steps.<id>.output.<field>.',
        });
      }
    }
    if (step.compensate) {
      const undo = checkTool(step.compensate.tool, catalog, step.id, `${base}.compensate.tool`, issues);
      if (undo) tools.set(step.compensate.tool, undo);
      const own = { has: (id: string) => id === step.id || ancestors(step.id).has(id) };
      checkArgs(step.compensate.args, undo, plan, step.id, `${base}.compensate.args`, own, tools, catalog, issues);
    }
  });

  for (const [name, ref] of Object.entries(plan.outputs)) {
    const found = findRefs(ref)[0];
    if (found?.kind === 'ref') checkRef(found, plan, undefined, `outputs.${name}`, new Set(index.keys()), tools, catalog, issues);
  }

  if (issues.length) return { ok: false, issues: issues.slice(0, MAX_ISSUES) };
  return { ok: true, valid: { plan, order, deps, tools } };
}

function checkTool(name: string, catalog: ToolCatalog, step: string, field: string, issues: PlanIssue[]): ToolInfo | undefined {
  const tool = catalog.get(name);
  if (tool) return tool;
  const near = catalog.closest(name);
  issues.push({
    step,
    field,
    problem: `there is no tool named ${name} on the servers this plan server reaches`,
    fix: near ? `Did you mean ${near}?` : 'Call plan_validate on a plan that names tools from tools/list of the Hearth servers.',
  });
  return undefined;
}

function checkArgs(
  args: Record<string, unknown>,
  tool: ToolInfo | undefined,
  plan: Plan,
  step: string,
  field: string,
  visible: Visible,
  tools: Map<string, ToolInfo>,
  catalog: ToolCatalog,
  issues: PlanIssue[],
): void {
  const refs = findRefs(args);
  const refPaths: (string | number)[][] = [];
  for (const ref of refs) {
    const where = `${field}${ref.path.map((p) => `.${p}`).join('')}`;
    refPaths.push(ref.path);
    if (ref.kind === 'bad')
      issues.push({
        step,
        field: where,
        problem: `${JSON.stringify(ref.text)} is not a reference`,
        fix: 'Write {"$ref": "steps.<id>.output.<path>"}.',
      });
    else if (ref.kind === 'input') {
      if (!Object.hasOwn(plan.inputs, ref.name))
        issues.push({
          step,
          field: where,
          problem: `uses input ${ref.name}, which the plan does not declare`,
          fix: `Declare it under inputs, or use one of: ${Object.keys(plan.inputs).join(', ') || '(none declared)'}.`,
        });
    } else checkRef(ref, plan, step, where, visible, tools, catalog, issues);
  }
  if (!tool) return;
  const schema = catalog.inputValidator(tool.name);
  if (!schema) return; // A schema zod cannot read (another MCP server's): the tool itself checks its arguments.
  const literal = withRefsAsAny(args, refPaths);
  const parsed = schema.safeParse(literal);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    if (refPaths.some((p) => p.length <= path.length && p.every((seg, i) => String(seg) === path[i]))) continue;
    const at = path.length ? `${field}.${path.join('.')}` : field;
    const described = describeAt(tool.inputSchema, path);
    issues.push({
      step,
      field: at,
      problem: `${tool.name}: ${issue.message}`,
      fix: described ? `${path.join('.') || 'args'}: ${described}` : `See the input schema of ${tool.name} (tools/list).`,
    });
  }
}

/** Referenced values are unknown until the run: validation accepts any value at their place. */
function withRefsAsAny(args: unknown, refPaths: (string | number)[][]): unknown {
  const copy = structuredClone(args) as Record<string, unknown>;
  for (const path of refPaths) {
    if (path.length === 0) return {};
    let node: Record<string | number, unknown> = copy;
    for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
    node[path[path.length - 1]!] = ANY;
  }
  return copy;
}
// A value every JSON Schema type check lets through is impossible; a string is the commonest argument type.
const ANY = '⟨ref⟩';

function describeAt(schema: Record<string, unknown>, path: string[]): string | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const seg of path) {
    const props = node?.properties as Record<string, Record<string, unknown>> | undefined;
    node = props?.[seg] ?? (node?.items as Record<string, unknown> | undefined);
  }
  return typeof node?.description === 'string' ? node.description : undefined;
}

function checkRef(
  ref: Extract<Located, { kind: 'ref' }>,
  plan: Plan,
  step: string | undefined,
  field: string,
  visible: Visible,
  tools: Map<string, ToolInfo>,
  catalog: ToolCatalog,
  issues: PlanIssue[],
): void {
  const target = plan.steps.find((s) => s.id === ref.step);
  const text = `steps.${ref.step}.output${ref.outputPath.map((p) => `.${p}`).join('')}`;
  if (!target) {
    issues.push({
      ...(step ? { step } : {}),
      field,
      problem: `${text} refers to step ${ref.step}, which does not exist`,
      fix: 'Refer to an earlier step by its id.',
    });
    return;
  }
  if (!visible.has(ref.step)) {
    issues.push({
      ...(step ? { step } : {}),
      field,
      problem: `${text} refers to step ${ref.step}, which does not run before this one`,
      fix: `Refer only to steps this one depends on; add ${ref.step} to dependsOn or move this step after it.`,
    });
    return;
  }
  const tool = tools.get(target.tool) ?? catalog.get(target.tool);
  if (!tool?.outputSchema) return;
  const problem = missingPath(ownOutput(tool.outputSchema), ref.outputPath);
  if (problem)
    issues.push({
      ...(step ? { step } : {}),
      field,
      problem: `${text}: ${tool.name} returns no ${problem.missing}`,
      fix: problem.has.length ? `It returns ${problem.has.slice(0, 12).join(', ')} there.` : `See the output schema of ${tool.name}.`,
    });
}

/** A Hearth write tool lists "its result, or a dry-run result": a reference reads its own result. */
function ownOutput(schema: Record<string, unknown>): Record<string, unknown> {
  const anyOf = schema.anyOf as Record<string, unknown>[] | undefined;
  if (!anyOf) return schema;
  const own = anyOf.filter((s) => !(s.properties as Record<string, unknown> | undefined)?.dryRun);
  return own.length === 1 ? own[0]! : { anyOf: own };
}

function missingPath(schema: Record<string, unknown>, path: string[]): { missing: string; has: string[] } | undefined {
  let node: Record<string, unknown> = schema;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const variants = (node.anyOf ?? node.oneOf) as Record<string, unknown>[] | undefined;
    if (variants) {
      const fits = variants.find((v) => !missingPath(v, path.slice(i)));
      return fits ? undefined : missingPath(variants[0]!, path.slice(i));
    }
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    if (props && Object.hasOwn(props, seg)) {
      node = props[seg]!;
      continue;
    }
    if (node.items && /^\d+$/.test(seg)) {
      node = node.items as Record<string, unknown>;
      continue;
    }
    const extra = node.additionalProperties;
    if (extra !== undefined && extra !== false) {
      // A record, or an object open to more keys: anything may be inside.
      if (extra === true) return undefined;
      node = extra as Record<string, unknown>;
      continue;
    }
    // A value of unknown shape (no properties declared at all).
    if (!props) return undefined;
    return { missing: path.slice(0, i + 1).join('.'), has: Object.keys(props) };
  }
  return undefined;
}

function topologicalOrder(plan: Plan, deps: Map<string, string[]>, issues: PlanIssue[]): Step[] {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: Step[] = [];
  // One trail, pushed and popped: copying it per step made a long chain quadratic.
  const trail: string[] = [];
  const visit = (id: string): void => {
    const now = state.get(id);
    if (now === 'done') return;
    if (now === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      issues.push({
        step: id,
        field: `steps[${plan.steps.findIndex((s) => s.id === id)}].dependsOn`,
        problem: `the steps depend on each other in a cycle: ${cycle.join(' → ')}`,
        fix: 'Remove one of these dependencies so the steps can run one after another.',
      });
      return;
    }
    state.set(id, 'visiting');
    trail.push(id);
    for (const dep of deps.get(id) ?? []) visit(dep);
    trail.pop();
    state.set(id, 'done');
    order.push(byId.get(id)!);
  };
  for (const step of plan.steps) visit(step.id);
  return order;
}

/** The steps that surely run before a step. */
interface Visible {
  has(step: string): boolean;
}

/**
 * Each step's ancestors, worked out only for the steps that ask (those with refs or conditions): a
 * long plan of plain steps must not build a set per step of every step before it.
 */
function ancestry(deps: Map<string, string[]>): (step: string) => ReadonlySet<string> {
  const known = new Map<string, Set<string>>();
  return (step) => {
    let found = known.get(step);
    if (!found) {
      found = new Set();
      const stack = [...(deps.get(step) ?? [])];
      while (stack.length) {
        const dep = stack.pop()!;
        if (found.has(dep) || dep === step) continue;
        found.add(dep);
        const done = known.get(dep);
        if (done) for (const a of done) found.add(a);
        else stack.push(...(deps.get(dep) ?? []));
      }
      known.set(step, found);
    }
    return found;
  };
}
