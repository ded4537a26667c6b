// What a tool result says, read from an MCP CallToolResult: the text for the model, one line for the
// person, the error code of a failed call, and the resources it produced.

type Content = { type: string; text?: string; uri?: string; name?: string };

export interface ReadResult {
  ok: boolean;
  text: string;
  code?: string;
  previewed: boolean;
  links: { uri: string; name: string }[];
}

/** The model sees at most this much of one result; the rest is cut with a note. */
const MAX_RESULT_CHARS = 16_000;

export function readToolResult(result: { isError?: boolean; content?: unknown; structuredContent?: unknown }): ReadResult {
  const content = (Array.isArray(result.content) ? result.content : []) as Content[];
  const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
  const error = structured.error as { code?: string; message?: string; hint?: string } | undefined;
  const links = content.filter((c) => c.type === 'resource_link' && c.uri).map((c) => ({ uri: c.uri!, name: c.name ?? c.uri! }));
  let text = content
    .map((c) => (c.type === 'text' ? (c.text ?? '') : c.type === 'resource_link' ? `→ resource ${c.uri}` : ''))
    .filter(Boolean)
    .join('\n');
  if (!text && result.structuredContent !== undefined) text = JSON.stringify(result.structuredContent);
  if (text.length > MAX_RESULT_CHARS)
    text = `${text.slice(0, MAX_RESULT_CHARS)}\n… (${text.length - MAX_RESULT_CHARS} more characters cut)`;
  return {
    ok: result.isError !== true,
    text,
    ...(result.isError && error?.code ? { code: error.code } : {}),
    previewed: structured.dryRun === true,
    links,
  };
}

/** The first line worth showing: for an error its message, else the first non-empty line. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  );
}
