// Playwright's errors carry a call log written for test authors. This turns them into HearthErrors
// a model can act on: the first line, the element's last known state, and what to do.
import { describeError, HearthError, isHearthError } from '../../lib/errors.js';

// The terminal colour codes in Playwright's call logs.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function lastState(message: string): string | undefined {
  const states = message
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trim().replace(/^-\s*/, ''))
    .filter((l) => /^element (is|was)|^element .* intercepts|not (visible|enabled|editable|stable)|is not an? /.test(l));
  return states[states.length - 1];
}

/** Wraps a Playwright failure of `what` (e.g. `click`, `navigate`). */
export function fromPlaywright(
  error: unknown,
  what: string,
  options: { field?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): HearthError {
  if (isHearthError(error)) return error;
  if (options.signal?.aborted)
    return new HearthError(
      'CANCELLED',
      `${what} was cancelled`,
      'Nothing more was done after the cancellation; the page may be part-way through the action.',
    );
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(ANSI, '');
  const first = (message.split('\n')[0] ?? message).replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, '');
  const field = options.field ? `${options.field}: ` : '';
  const details = options.field ? { details: { field: options.field } } : undefined;
  if (error instanceof Error && error.name === 'TimeoutError') {
    const state = lastState(message);
    const seconds = options.timeoutMs ? ` within ${(options.timeoutMs / 1000).toFixed(1)} s` : '';
    return new HearthError(
      'TIMEOUT',
      `${field}${what} did not complete${seconds}${state ? ` (${state})` : ''}`,
      state?.includes('not enabled')
        ? 'The element is disabled; fill the fields it depends on first, or check the page with web_snapshot.'
        : 'Check the page with web_snapshot: the element may be hidden, covered or not there yet; web_wait_for can wait for it.',
      details,
    );
  }
  if (/strict mode violation/.test(message)) {
    const count = /resolved to (\d+) elements/.exec(message)?.[1];
    return new HearthError(
      'CONFLICT',
      `${field}the target matches ${count ?? 'several'} elements`,
      'Use a ref from web_snapshot, add a role and name, or pass nth to pick one.',
      details,
    );
  }
  if (/Unknown key/.test(message))
    return new HearthError(
      'INVALID_ARGUMENT',
      `${field}${first}`,
      'Use a key name such as Enter, Tab, Escape, ArrowDown, Backspace, or a combination such as Control+A.',
      details,
    );
  if (/net::ERR_BLOCKED_BY_CLIENT/.test(message))
    return new HearthError(
      'ORIGIN_NOT_ALLOWED',
      `${field}${what} was blocked: the page tried to reach an origin that is not on the allowlist`,
      'See the blocked requests reported with this result; a person can extend web.origins in the policy.',
      details,
    );
  if (/net::ERR_/.test(message)) {
    const code = /net::ERR_[A-Z_]+/.exec(message)?.[0] ?? 'a network error';
    return new HearthError(
      'UNAVAILABLE',
      `${field}${what} failed with ${code}`,
      'Check that the site is up and the URL is right; then try again.',
      details,
    );
  }
  if (/Target (page, context or browser )?(has been )?closed|Browser has been closed|browser has disconnected/i.test(message)) {
    return new HearthError(
      'UNAVAILABLE',
      `${field}${what} failed: the page or browser closed`,
      'Open the page again with web_navigate (a new session with web_session_open if the session is gone).',
      details,
    );
  }
  if (
    /not an? (input|select|checkbox|radio)|Not a checkbox|not a <select>|Element is not an <input>|Cannot type text into|Error: Input of type/i.test(
      message,
    )
  ) {
    return new HearthError(
      'INVALID_ARGUMENT',
      `${field}${first}`,
      'The target is the wrong kind of element for this action; take a snapshot and pick the right control.',
      details,
    );
  }
  return new HearthError(
    'UNAVAILABLE',
    `${field}${what} failed: ${describeError(new Error(first))}`,
    'Check the page with web_snapshot and try again.',
    details,
  );
}
