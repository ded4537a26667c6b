// Stack traces as a person reads them: frames of the user's code say `<code>:line:col` (lines of the
// snippet as sent), the sandbox's own frames (the prelude's) are dropped, and so is any frame of the
// host (a file path, a Node internal, the isolate boundary) should one ever reach a stack. Every stack
// a run or a test reports passes through cleanStack, so this is the one place that decides what a
// caller sees of it.

/** The file name the prelude is evaluated under, so its frames can be told from the user's. */
export const PRELUDE_FILENAME = 'hearth:prelude';

const HOST_FRAME = /^\s+at (\/|.*(<isolated-vm boundary>|file:\/\/(?!\/workspace\/)|\(node:|\(\/))/;
const EVAL_FRAME = /\(?eval at \w+ \(hearth:prelude:\d+:\d+\), <anonymous>:(\d+):(\d+)\)?/;

export function cleanStack(stack: string, lineOffset = 0): string {
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    if (/hearth:prelude/.test(line) && !EVAL_FRAME.test(line)) continue;
    if (/^\s+at eval \(<anonymous>\)$/.test(line)) continue;
    if (HOST_FRAME.test(line)) continue;
    const m = EVAL_FRAME.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const where = `<code>:${Math.max(1, Number(m[1]) - lineOffset)}:${m[2]}`;
    const fn = /^\s+at (\S+) \(eval at/.exec(line)?.[1];
    out.push(fn && fn !== 'eval' ? `    at ${fn} (${where})` : `    at ${where}`);
  }
  return out.join('\n');
}
