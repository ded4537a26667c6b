// Text that came from a tool, a page or a model is hostile by default: before it reaches a person's
// terminal, control characters and escape sequences (which could rewrite the screen, fake a prompt
// or set the window title) are shown as visible placeholders instead of being obeyed.

const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(ESCAPES, '�').replace(CONTROLS, '�');
}
