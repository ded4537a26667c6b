// Text from a model or a web page made inert before it reaches a person's terminal: escape
// sequences (colours, cursor moves, window titles, hyperlinks, clipboard writes), other control
// characters and bidirectional overrides could repaint the screen, hide part of a preview or make
// one value look like another. Each such character is shown as a visible escape instead, so the
// person sees that something was there.

// C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides and isolates;
// the line and paragraph separators that some terminals treat as new lines.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function visible(char: string): string {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character, escape sequence and bidi control shown as a visible escape. */
export function inertText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, visible);
}

/** One line of inert text at most `max` characters long (newlines shown as ⏎). */
export function inertLine(text: string, max = 160): string {
  const line = inertText(text).replace(/\n/g, ' ⏎ ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
