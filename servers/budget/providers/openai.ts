// OpenAI chat completions through the official `openai` SDK — for OpenAI itself and for any
// OpenAI-compatible local server (LM Studio, llama.cpp, vLLM) at its own base URL. Always streamed,
// so partial text reaches the client and a cancellation stops the provider mid-answer.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';

import type { ChatMessage, FinishReason, ToolCall } from '../messages.js';
import { classify } from './classify.js';
import { parseArguments } from './parse-arguments.js';
import { type Provider, type ProviderAnswer, ProviderFailure, type ProviderRequest } from './provider.js';

export interface OpenAiOptions {
  name: string;
  kind: 'openai' | 'openai-compatible';
  baseUrl: string;
  apiKey: string | undefined;
}

function toWire(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
      case 'user':
        return { role: m.role, content: m.content };
      case 'assistant':
        return m.toolCalls.length
          ? {
              role: 'assistant',
              content: m.content || null,
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: JSON.stringify(c.arguments) },
              })),
            }
          : { role: 'assistant', content: m.content };
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    }
  });
}

function finish(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool_calls';
  if (reason === 'content_filter') return 'content_filter';
  return 'other';
}

export class OpenAiProvider implements Provider {
  readonly name: string;
  readonly kind: 'openai' | 'openai-compatible';
  readonly local: boolean;
  readonly endpoint: string;

  private readonly client: OpenAI;

  constructor(options: OpenAiOptions) {
    this.name = options.name;
    this.kind = options.kind;
    this.local = options.kind === 'openai-compatible';
    this.endpoint = `${options.baseUrl.replace(/\/$/, '')}/chat/completions`;
    // One client per provider: building one costs more than a local model call's whole overhead budget.
    this.client = new OpenAI({
      // Local servers usually take no key, but the SDK insists on one.
      apiKey: options.apiKey ?? 'no-key',
      baseURL: options.baseUrl,
      maxRetries: 0, // the gateway's retry loop is the only one
      timeout: 24 * 3_600_000, // the gateway's deadline and stall timer decide
    });
  }

  async generate(request: ProviderRequest): Promise<ProviderAnswer> {
    const client = this.client;
    const tools = request.toolChoice === 'none' ? [] : request.tools;
    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: toWire(request.messages),
      stream: true,
      stream_options: { include_usage: true },
      ...(this.kind === 'openai' ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(tools.length
        ? {
            tools: tools.map((t) => ({
              type: 'function' as const,
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
            tool_choice: request.toolChoice,
          }
        : {}),
      ...(request.jsonSchema
        ? { response_format: { type: 'json_schema' as const, json_schema: { name: 'answer', schema: request.jsonSchema } } }
        : {}),
    };
    let text = '';
    let finishReason: FinishReason = 'other';
    let complete = false;
    let usage: ProviderAnswer['usage'];
    const calls = new Map<number, { id: string; name: string; args: string }>();
    try {
      const stream = await client.chat.completions.create(params, { signal: request.signal });
      for await (const chunk of stream) {
        request.onActivity();
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.content) {
          text += delta.content;
          request.onText(delta.content);
        }
        for (const part of delta?.tool_calls ?? []) {
          const call = calls.get(part.index) ?? { id: '', name: '', args: '' };
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name += part.function.name;
          if (part.function?.arguments) call.args += part.function.arguments;
          calls.set(part.index, call);
        }
        if (choice.finish_reason) {
          finishReason = finish(choice.finish_reason);
          complete = true;
        }
      }
    } catch (error) {
      throw classify(error, request.signal, {}, this.name);
    }
    if (request.signal.aborted) throw classify(new Error('aborted'), request.signal, {}, this.name);
    if (!complete) throw new ProviderFailure('network', `${this.name} closed the connection before the answer was complete`);
    const toolCalls: ToolCall[] = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => ({ id: c.id, name: c.name, arguments: parseArguments(c.args, this.name) }));
    return { text, toolCalls, finishReason, usage };
  }
}
