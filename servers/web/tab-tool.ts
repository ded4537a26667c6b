// The two shapes of a web tool that works on a tab (after Playwright's defineTabTool). Both add the
// `session` and `tab` fields, open the session on first use, take its turn and hand the handler the
// tab, so no tool looks them up or declares them itself.
//
// - defineTabTool: reads the page (snapshot, extract, screenshot).
// - defineWebAction: acts on the page through runAction (action.ts) — settling, the view of what
//   changed, events, and the session log, which always gets the audit copy of the arguments, masked.
//   `dialog: true` adds the `dialog` field for actions that may open one. In the action, ctx.secret
//   also masks the value on this session's pages, so copying a sibling that handles a secret is safe.
import * as z from 'zod';

import type { Effect } from '../../lib/effect.js';
import type { Preview } from '../../lib/preview.js';
import { defineTool, type Tool, type ToolContext, type ToolResult } from '../../shared/tool.js';
import { runAction } from './action.js';
import type { WebRuntime } from './runtime.js';
import { DialogAnswer, PageResult, SessionField, TabField } from './schemas.js';
import type { DialogPlan, WebSession } from './session.js';
import type { Tab } from './tab.js';
import { type Resolved, resolveTarget, type Target } from './target.js';

type Shape = z.ZodRawShape;

/** The fields every tab tool takes. */
export interface PageArgs {
  session?: string | undefined;
  tab?: string | undefined;
}

type Args<S extends Shape> = z.output<z.ZodObject<S>> & PageArgs;
type ActionArgs<S extends Shape> = Args<S> & { dialog?: DialogPlan | undefined };

export interface TabToolDefinition<S extends Shape, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** The tool's own fields; `session` and `tab` are added. */
  input: S;
  output: O;
  /** Checks the arguments beyond their schema before any session opens. */
  check?: (args: Args<S>) => void;
  handle: (args: Args<S>, on: { tab: Tab; session: WebSession }, ctx: ToolContext) => Promise<ToolResult<z.input<O>>>;
}

/** A tool that reads a tab: it runs in the session's turn, so it never sees a page midway through an action. */
export function defineTabTool<S extends Shape, O extends z.ZodObject>(runtime: WebRuntime, definition: TabToolDefinition<S, O>): Tool {
  return defineTool({
    name: definition.name,
    title: definition.title,
    description: definition.description,
    effect: 'read',
    openWorld: true,
    input: z.object({ ...definition.input, session: SessionField, tab: TabField }),
    output: definition.output,
    async handler(args, ctx) {
      const own = args as Args<S>;
      definition.check?.(own);
      const session = await runtime.sessions.acquire(own.session);
      return session.run(() => definition.handle(own, { tab: session.tab(own.tab), session }, ctx));
    },
  });
}

/** What an action's `act` receives besides its arguments. */
export interface ActionPage<P> {
  tab: Tab;
  session: WebSession;
  /** The call's context; its `secret` also masks the value wherever this session's pages show it. */
  ctx: ToolContext;
  /** What `prepare` worked out. */
  prepared: P;
  /** Finds a target on the tab by ref or hints, waiting up to the action timeout for it to appear. */
  find: (target: Target, field?: string) => Promise<Resolved>;
}

/** An action that adds fields to the page result returns them with its one-line account. */
export interface ActionDone<E extends Shape> {
  did: string;
  extra: z.input<z.ZodObject<E>>;
  /** Lines added under the result's text. */
  footer?: string[];
}

export interface WebActionDefinition<S extends Shape, E extends Shape, P> {
  name: string;
  title: string;
  description: string;
  effect: Effect;
  idempotent?: boolean;
  /** The action's own fields; `session`, `tab` (and `dialog`) are added. */
  input: S;
  /** The action may open a confirm or prompt dialog: adds the `dialog` field saying how to answer it. */
  dialog?: boolean;
  /** Fields the action adds to the standard page result. */
  output?: E;
  /** Always answer with a fresh outline of the page, not a delta (after a navigation). */
  freshView?: boolean;
  /** The tab the action starts from; default: the `tab` argument (or the active tab). */
  startTab?: (args: ActionArgs<S>) => string | undefined;
  /** Masks what the arguments alone show to be secret, for the audit, the approval queue and the session log. */
  auditArgs?: (args: ActionArgs<S>) => unknown;
  /** Required unless the effect is `read`: what the action would do, looking at the page without changing it. */
  preview?: (args: ActionArgs<S>, ctx: ToolContext) => Promise<Preview>;
  /** Checks the arguments beyond their schema and works out what the action needs, before any session opens. */
  prepare?: (args: ActionArgs<S>, ctx: ToolContext) => P | Promise<P>;
  /** Does the action on the tab; returns what was done, in one line. */
  act: (args: ActionArgs<S>, page: ActionPage<P>) => Promise<string | ActionDone<E>>;
}

export function defineWebAction<S extends Shape, E extends Shape = Record<never, never>, P = undefined>(
  runtime: WebRuntime,
  definition: WebActionDefinition<S, E, P>,
): Tool {
  const { settings } = runtime;
  if (definition.effect !== 'read' && !definition.preview) throw new Error(`${definition.name} changes something and needs a preview`);
  const fields = definition.dialog
    ? { dialog: DialogAnswer, session: SessionField, tab: TabField }
    : { session: SessionField, tab: TabField };

  async function handler(raw: unknown, ctx: ToolContext): Promise<ToolResult<Record<string, unknown>>> {
    const args = raw as ActionArgs<S>;
    const prepared = definition.prepare ? await definition.prepare(args, ctx) : (undefined as P);
    let done: ActionDone<E> | undefined;
    const outcome = await runAction(runtime, ctx, {
      session: args.session,
      tab: definition.startTab ? definition.startTab(args) : args.tab,
      logArgs: ctx.auditArgs(),
      dialog: args.dialog,
      freshView: definition.freshView === true,
      act: async (tab, session) => {
        const page: ActionPage<P> = {
          tab,
          session,
          prepared,
          ctx: {
            ...ctx,
            secret(value, arg) {
              ctx.secret(value, arg);
              session.secrets.add(value);
            },
          },
          find: (target, field = 'target') =>
            resolveTarget(tab.page, target, { field, timeoutMs: settings.actionTimeoutMs, signal: ctx.signal }),
        };
        const result = await definition.act(args, page);
        if (typeof result === 'string') return result;
        done = result;
        return result.did;
      },
    });
    const text = done?.footer?.length ? `${outcome.text}\n${done.footer.join('\n')}` : outcome.text;
    return { structured: { ...outcome.structured, ...(done?.extra ?? {}) }, text };
  }

  const common = {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    ...(definition.idempotent === undefined ? {} : { idempotent: definition.idempotent }),
    // Every action works on a page from the web: what it returns is the page's, untrusted.
    openWorld: true,
    // The definition's generics stop here: the kernel validates against these schemas at run time.
    input: z.object({ ...definition.input, ...fields }) as z.ZodObject,
    output: (definition.output ? PageResult.extend(definition.output) : PageResult) as z.ZodObject,
    handler,
    ...(definition.auditArgs ? { auditArgs: definition.auditArgs as (args: unknown) => unknown } : {}),
  };
  return definition.effect === 'read'
    ? defineTool({ ...common, effect: 'read' })
    : defineTool({
        ...common,
        effect: definition.effect,
        preview: definition.preview as (args: unknown, ctx: ToolContext) => Promise<Preview>,
      });
}
