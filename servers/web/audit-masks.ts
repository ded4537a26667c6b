// Keeps secrets out of the audit log. A tool's auditArgs masks what the arguments alone show to be
// secret; what only the page shows (a password field) is masked later through ctx.maskAuditArg.
export { MASKED } from '../../shared/tool-context.js';

/** Label, name or selector text that suggests a secret. */
export const SECRET_HINT =
  /pass(word|code|phrase)?|\bpwd\b|\bpin\b|secret|\bcvc\b|\bcvv\b|security.?code|one.?time|\botp\b|token|api.?key/i;

type Json = Record<string, unknown>;

/** A deep copy of JSON-like arguments. */
export function copyArgs<T>(args: T): Json {
  return JSON.parse(JSON.stringify(args ?? {})) as Json;
}
