// Text from a model or a page reaches a terminal inert: escape sequences, control characters and
// bidi overrides become visible escapes; ordinary text, tabs and newlines pass unchanged.
import { expect, it } from 'vitest';

import { inertLine, inertText } from '../../lib/inert-text.js';

it.each([
  ['colour and screen clear', 'ok\u001b[2J\u001b[31mred', 'ok\\x1b[2J\\x1b[31mred'],
  ['window title (OSC) with BEL', '\u001b]0;pwned\u0007title', '\\x1b]0;pwned\\x07title'],
  ['OSC 52 clipboard write', '\u001b]52;c;Y3VybCBldmls\u001b\\', '\\x1b]52;c;Y3VybCBldmls\\x1b\\'],
  ['carriage return that would overwrite a line', 'Approve: no\rApprove: yes', 'Approve: no\\x0dApprove: yes'],
  ['backspace', 'abc\u0008\u0008', 'abc\\x08\\x08'],
  ['C1 CSI', 'x\u009b31m', 'x\\x9b31m'],
  ['bidi override', 'invoice\u202Efdp.exe', 'invoice\\u202efdp.exe'],
  ['bidi isolate', 'a\u2066b\u2069', 'a\\u2066b\\u2069'],
])('%s is shown, not obeyed', (_name, hostile, shown) => {
  expect(inertText(hostile)).toBe(shown);
  expect(inertText(hostile)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
});

it('keeps ordinary text, tabs, newlines and non-Latin letters', () => {
  const text = 'Ana Fernández\tValència\n→ 東京 ✓\r\nnext';
  expect(inertText(text)).toBe('Ana Fernández\tValència\n→ 東京 ✓\nnext');
});

it('inertLine folds newlines and cuts to length', () => {
  expect(inertLine('one\ntwo\u001b[1m', 100)).toBe('one ⏎ two\\x1b[1m');
  expect(inertLine('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
});
