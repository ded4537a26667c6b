// What an action changed on the page, as a few outline lines instead of the whole page: lines that
// appeared (+), disappeared (-), or changed in place (~, same ref, new state or value).
// The array diff alone: the package's index loads every differ (19 modules) before tools/list.
import { diffArrays } from 'diff/lib/diff/array.js';

import type { Line } from './aria-tree.js';

export interface Delta {
  text: string;
  added: number;
  removed: number;
  changed: number;
}

const MAX_EDITS = 400;

function key(line: Line): string {
  return `${line.depth}\u0000${line.text}`;
}

/** The difference between two renderings; undefined when the page changed too much to describe. */
export function diffLines(before: readonly Line[], after: readonly Line[]): Delta | undefined {
  const beforeKeys = before.map(key);
  const afterKeys = after.map(key);
  const changes = diffArrays(beforeKeys, afterKeys, { maxEditLength: MAX_EDITS });
  if (!changes) return undefined;
  const removedLines: Line[] = [];
  const addedLines: Line[] = [];
  let bi = 0;
  let ai = 0;
  for (const change of changes) {
    const n = change.count ?? change.value.length;
    if (change.added) {
      for (let i = 0; i < n; i++) addedLines.push(after[ai + i]!);
      ai += n;
    } else if (change.removed) {
      for (let i = 0; i < n; i++) removedLines.push(before[bi + i]!);
      bi += n;
    } else {
      ai += n;
      bi += n;
    }
  }
  const addedRefs = new Map(addedLines.filter((l) => l.ref).map((l) => [l.ref!, l]));
  const changedRefs = new Set(removedLines.filter((l) => l.ref && addedRefs.has(l.ref)).map((l) => l.ref!));
  const out: string[] = [];
  for (const line of removedLines) if (!line.ref || !changedRefs.has(line.ref)) out.push(`- ${line.text}`);
  for (const line of addedLines) out.push(`${line.ref && changedRefs.has(line.ref) ? '~' : '+'} ${line.text}`);
  return {
    text: out.join('\n'),
    added: addedLines.length - changedRefs.size,
    removed: removedLines.length - changedRefs.size,
    changed: changedRefs.size,
  };
}
