// A one-line spinner for the terminal view, drawn with node:readline's cursor calls and clack's
// symbols. Not clack's own spinner: that one puts stdin in raw mode and ends the process on Ctrl-C
// (process.exit), and a run must instead cancel the running call and stop cleanly.
import { clearLine, cursorTo } from 'node:readline';

import { S_BAR } from '@clack/prompts';

const FRAMES = ['◒', '◐', '◓', '◑'];

export interface LineSpinner {
  message(text: string): void;
  /** Removes the line, leaving the cursor at its start. */
  clear(): void;
}

export function lineSpinner(out: NodeJS.WriteStream, text: string): LineSpinner {
  const started = performance.now();
  let frame = 0;
  let current = text;
  const width = () => Math.max(20, (out.columns || 80) - 1);
  const draw = () => {
    const seconds = Math.floor((performance.now() - started) / 1000);
    const line = `${FRAMES[frame++ % FRAMES.length]}  ${current} [${seconds}s]`;
    cursorTo(out, 0);
    clearLine(out, 0);
    out.write(line.length > width() ? `${line.slice(0, width() - 1)}…` : line);
  };
  out.write(`${S_BAR}\n`);
  draw();
  const timer = setInterval(draw, 120);
  return {
    message(next) {
      // Drawn at once: a progress step may be over before the next frame.
      if (next === current) return;
      current = next;
      draw();
    },
    clear() {
      clearInterval(timer);
      cursorTo(out, 0);
      clearLine(out, 0);
    },
  };
}
