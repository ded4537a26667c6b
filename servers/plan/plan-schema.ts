// The plan language: one zod schema, the single source for validation, types, the JSON Schema
// published in docs/plan.schema.json and the tool reference. A plan is data: steps that call tools of
// the Hearth servers, wired together by references, guarded by CEL conditions.
import * as z from 'zod';

export const STEP_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** `steps.<id>.output` followed by `.field` or `.0` segments. */
export const REF = /^steps\.([A-Za-z][A-Za-z0-9_-]{0,63})\.output((?:\.[A-Za-z0-9_$-]+)*)$/;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const Ref = z
  .object({ $ref: z.string().regex(REF, 'write a reference as steps.<step id>.output.<path>, e.g. steps.fetch.output.json.id') })
  .strict()
  .describe('The output (or a part of it) of an earlier step.');

export const InputRef = z
  .object({ $input: z.string().regex(INPUT_NAME, 'an input name is letters, digits and _') })
  .strict()
  .describe('The value of a plan input.');

const Condition = z
  .string()
  .min(1)
  .max(2_000)
  .describe('A CEL expression over `inputs` and `steps.<id>.output`, e.g. `steps.fetch.output.status == 200`.');

const ToolName = z
  .string()
  .regex(
    /^(?:[a-z][a-z0-9-]*\.)?[a-z][a-z0-9]*_[a-z0-9_]+$/,
    'a tool is named like memory_search, or <server>.<tool> for a server you listed',
  )
  .describe('The tool to call: a Hearth tool (memory_remember, web_request, …) or <server>.<tool> for another MCP server in the config.');

const Args = z
  .record(z.string(), z.unknown())
  .default({})
  .describe('The tool arguments as JSON. Any value may be {"$ref": "steps.<id>.output.<path>"} or {"$input": "<name>"}.');

export const ERROR_CODES_RETRIED = ['UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED'];

const Retry = z
  .object({
    attempts: z.number().int().min(1).max(20).default(1).describe('Attempts in all, the first included.'),
    backoffMs: z.number().int().min(0).max(600_000).default(500).describe('Wait before the second attempt; doubles after each attempt.'),
    maxBackoffMs: z.number().int().min(0).max(3_600_000).default(30_000).describe('Longest wait between attempts.'),
    jitter: z.number().min(0).max(1).default(0.2).describe('Random part of each wait (0.2 = ±20%), so retries do not march in step.'),
    retryOn: z
      .array(z.string().regex(/^[A-Z_]{2,40}$/))
      .max(30)
      .default(ERROR_CODES_RETRIED)
      .describe('Error codes worth another attempt; any other error fails the step at once.'),
  })
  .strict()
  .describe('How often to try the step again after a failure, and how long to wait.');

export const Compensate = z
  .object({ tool: ToolName, args: Args })
  .strict()
  .describe('The call that undoes this step; it may reference the step’s own output (steps.<this id>.output…).');

export const Step = z
  .object({
    id: z
      .string()
      .regex(STEP_ID, 'a step id starts with a letter: letters, digits, _ and -, at most 64')
      .describe('Unique within the plan.'),
    title: z.string().max(200).optional().describe('What the step does, for people.'),
    tool: ToolName,
    args: Args,
    dependsOn: z
      .array(z.string().regex(STEP_ID))
      .max(100)
      .optional()
      .describe('Steps that must complete first; default the previous step. [] makes a step depend on nothing.'),
    when: Condition.optional().describe(
      'Run the step only when this CEL expression is true; otherwise it is skipped (and so are steps that depend on it).',
    ),
    pre: Condition.optional().describe('Must hold before the step runs, else the step fails.'),
    post: Condition.optional().describe('Must hold after the step ran (`output` is its result), else the step fails.'),
    retry: Retry.optional(),
    timeoutMs: z.number().int().min(100).max(3_600_000).optional().describe('Longest one attempt may take.'),
    idempotencyKey: z
      .union([
        z
          .string()
          .min(1)
          .max(160)
          .regex(/^[A-Za-z0-9._:@/{}-]+$/, 'letters, digits and . _ : @ / - { }'),
        z.literal(false),
      ])
      .optional()
      .describe(
        'Key the target remembers the result under, so a retry or a resumed run never repeats the effect. Default `{run}:<step id>`; `{run}` is replaced by the run id. false sends none (the step is then not safe to repeat after a crash).',
      ),
    compensate: Compensate.optional(),
    approval: z
      .enum(['plan', 'step'])
      .default('plan')
      .describe('plan: covered by the approval of the whole plan; step: ask the person again when the step runs.'),
  })
  .strict();
export type Step = z.output<typeof Step>;

const InputDecl = z
  .object({
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array']).describe('The JSON type of the value.'),
    description: z.string().max(500).optional(),
    default: z.unknown().optional().describe('Used when the run does not give the input.'),
  })
  .strict();
export type InputDecl = z.output<typeof InputDecl>;

export const Plan = z
  .object({
    version: z.literal(1).default(1).describe('The plan language version.'),
    name: z.string().max(120).optional(),
    description: z.string().max(2_000).optional(),
    inputs: z
      .record(z.string().regex(INPUT_NAME, 'an input name is letters, digits and _'), InputDecl)
      .default({})
      .describe('The values a run passes in ({"$input": "<name>"} in args).'),
    steps: z.array(Step).min(1).max(5_000).describe('The steps, in the order they run (a step runs after those it depends on).'),
    outputs: z.record(z.string().regex(INPUT_NAME), Ref).default({}).describe('What the run returns: names for step outputs.'),
  })
  .strict()
  .describe('A Hearth plan: tool calls as data, with references, conditions, retries, idempotency keys and compensation.');
export type Plan = z.output<typeof Plan>;

/** The JSON Schema of the plan language, as published in docs/plan.schema.json. */
export function planJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://hearth.local/schemas/plan.schema.json',
    ...(z.toJSONSchema(Plan, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>),
  };
}
