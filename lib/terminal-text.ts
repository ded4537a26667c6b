// Text for a person's terminal, made inert. Anything a model, a tool, a page or a document supplied
// may carry control characters: ESC sequences that clear the screen, move the cursor, hide text
// (ESC[8m) or set the window title; a carriage return that overwrites a line; C1 controls (U+009B
// is CSI on many terminals); Unicode bidirectional overrides that show code in another order than
// it runs. Shown to a person deciding on an approval, any of these can make the screen say
// something else than what will run. Every such character is written as a visible `\uXXXX`
// escape instead — which is also a valid JSON escape of the same character, so JSON output stays
// the same JSON. Newlines and tabs are kept. This module imports nothing: the CLI, the logger and
// the prompts of `hearth run` all use this one function.

/** C0 controls but tab and newline; DEL; C1 controls; bidi embeddings, overrides, isolates and marks; invisible separators. */
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** `text` with every control character a terminal would act on written as a visible `\uXXXX` escape. */
export function inert(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
