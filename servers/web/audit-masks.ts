// Keeps secrets out of the audit log. A tool's auditArgs masks what the arguments alone show to be
// secret; what only the page shows (a password field) is masked later through ctx.secret.
import { MASKED } from '../../shared/tool-context.js';
import type { WebRuntime } from './runtime.js';
import { hintsOf, type Target } from './target.js';

export { MASKED };

/** Label, name or selector text that suggests a secret. */
export const SECRET_HINT =
  /pass(word|code|phrase)?|\bpwd\b|\bpin\b|secret|\bcvc\b|\bcvv\b|security.?code|one.?time|\botp\b|token|api.?key/i;

type Json = Record<string, unknown>;

/** A deep copy of JSON-like arguments. */
export function copyArgs<T>(args: T): Json {
  return JSON.parse(JSON.stringify(args ?? {})) as Json;
}

/** Whether a target's own words suggest a secret field. */
export function targetLooksSecret(target: Target): boolean {
  const t = hintsOf(target);
  return [t.label, t.name, t.placeholder, t.css, t.testId, t.text].some((s) => s !== undefined && SECRET_HINT.test(s));
}

/** Audit copy of an action's arguments, with `valueKey` masked when the field looks secret. */
export function auditCopy(
  runtime: WebRuntime,
  args: object & { target?: Target; sensitive?: boolean | undefined; session?: string | undefined },
  valueKey?: string,
): Record<string, unknown> {
  const copy = copyArgs(args);
  if (valueKey && valueKey in copy) {
    const session = runtime.sessions.find(args.session);
    const value = copy[valueKey];
    const known = typeof value === 'string' && session?.secrets.has(value);
    if (args.sensitive || known || (args.target && targetLooksSecret(args.target))) copy[valueKey] = MASKED;
  }
  return copy;
}
