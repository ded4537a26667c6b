// Tool-call arguments arrive as a JSON string (OpenAI, Anthropic's streamed input) and must be a
// JSON object; anything else is a malformed answer, retried like one.
import { ProviderFailure } from './provider.js';

export function parseArguments(raw: string, provider: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ProviderFailure('malformed', `${provider} sent tool-call arguments that are not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ProviderFailure('malformed', `${provider} sent tool-call arguments that are not a JSON object`);
  return parsed as Record<string, unknown>;
}
