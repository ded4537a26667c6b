// Ollama /api/chat through the official `ollama` client, streamed as NDJSON. Its client takes no
// per-call abort signal, so the signal reaches the request through the fetch it is given.
import { type Message, Ollama } from 'ollama';

import { type ChatMessage, type FinishReason, type ToolCall, toolNameFor } from '../messages.js';
import { classify } from './classify.js';
import { type Observation, observedFetch } from './observed-fetch.js';
import { type Provider, type ProviderAnswer, ProviderFailure, type ProviderRequest } from './provider.js';

export interface OllamaOptions {
  name: string;
  baseUrl: string;
}

function toWire(messages: readonly ChatMessage[]): Message[] {
  return messages.map((m, i): Message => {
    switch (m.role) {
      case 'system':
      case 'user':
        return { role: m.role, content: m.content };
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content,
          ...(m.toolCalls.length ? { tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) } : {}),
        };
      case 'tool':
        return { role: 'tool', content: m.content, tool_name: toolNameFor(messages, i) };
    }
  });
}

function finish(reason: string | undefined, hasCalls: boolean): FinishReason {
  if (hasCalls) return 'tool_calls';
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  return 'other';
}

export class OllamaProvider implements Provider {
  readonly name: string;
  readonly kind = 'ollama' as const;
  readonly local = true;
  readonly endpoint: string;

  constructor(private readonly options: OllamaOptions) {
    this.name = options.name;
    this.endpoint = `${options.baseUrl.replace(/\/$/, '')}/api/chat`;
  }

  async generate(request: ProviderRequest): Promise<ProviderAnswer> {
    const observation: Observation = {};
    const client = new Ollama({ host: this.options.baseUrl, fetch: observedFetch(request.signal, observation) });
    // Ollama has no "do not call tools" switch: leaving the tools out is how to say it.
    const tools = request.toolChoice === 'none' ? [] : request.tools;
    let text = '';
    let reason: string | undefined;
    let usage: ProviderAnswer['usage'];
    const toolCalls: ToolCall[] = [];
    try {
      const stream = await client.chat({
        model: request.model,
        messages: toWire(request.messages),
        stream: true,
        ...(tools.length
          ? {
              tools: tools.map((t) => ({
                type: 'function',
                function: { name: t.name, description: t.description, parameters: t.parameters },
              })),
            }
          : {}),
        ...(request.jsonSchema ? { format: request.jsonSchema } : {}),
        options: { num_predict: request.maxTokens, ...(request.temperature === undefined ? {} : { temperature: request.temperature }) },
      });
      for await (const part of stream) {
        request.onActivity();
        const content = part.message?.content;
        if (content) {
          text += content;
          request.onText(content);
        }
        for (const call of part.message?.tool_calls ?? [])
          toolCalls.push({ id: '', name: call.function.name, arguments: call.function.arguments ?? {} });
        if (part.done) {
          reason = part.done_reason;
          usage = { inputTokens: part.prompt_eval_count ?? 0, outputTokens: part.eval_count ?? 0 };
        }
      }
    } catch (error) {
      throw classify(error, request.signal, observation, this.name);
    }
    if (request.signal.aborted) throw classify(new Error('aborted'), request.signal, observation, this.name);
    if (usage === undefined) throw new ProviderFailure('network', `${this.name} closed the connection before the answer was complete`);
    return { text, toolCalls, finishReason: finish(reason, toolCalls.length > 0), usage };
  }
}
