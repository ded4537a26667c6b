// A zod validation error as lines a person can act on: the source (which file or layer), the field
// path and the problem. Config and policy loading both report bad input this way.
import type * as z from 'zod';

export function formatIssues(source: string, error: z.ZodError): string {
  return error.issues.map((issue) => `${source}: ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`).join('\n');
}
