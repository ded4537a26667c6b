// A progress bar as text, in the glyphs of @clack/prompts' own progress bar (`━` done, dim `─` to
// go). Not clack's progress(): it is built on clack's spinner, which takes stdin raw and ends the
// process on Ctrl-C, where a run must cancel the running call on its server and stop cleanly.
import { styleText } from 'node:util';

export function progressBar(progress: number, total: number, width = 20): string {
  const share = total > 0 ? Math.min(1, Math.max(0, progress / total)) : 0;
  const filled = Math.round(share * width);
  const count = Number.isInteger(progress) && Number.isInteger(total) ? ` ${progress}/${total}` : '';
  return `${styleText('magenta', '━'.repeat(filled))}${styleText('dim', '─'.repeat(width - filled))} ${Math.round(share * 100)}%${count}`;
}
