// Anthropic messages through the official `@anthropic-ai/sdk`, streamed. System turns become the
// top-level system prompt; tool results become user turns of tool_result blocks; consecutive turns
// of one role are merged, as the API wants roles to alternate.
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';

import type { ChatMessage, FinishReason, ToolCall } from '../messages.js';
import { classify } from './classify.js';
import { parseArguments } from './parse-arguments.js';
import { type Provider, type ProviderAnswer, ProviderFailure, type ProviderRequest } from './provider.js';

export interface AnthropicOptions {
  name: string;
  baseUrl: string;
  apiKey: string | undefined;
}

function toWire(messages: readonly ChatMessage[]): { system: string | undefined; messages: MessageParam[] } {
  const system: string[] = [];
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        system.push(m.content);
        break;
      case 'user':
        push('user', [{ type: 'text', text: m.content || ' ' }]);
        break;
      case 'assistant':
        push('assistant', [
          ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
          ...m.toolCalls.map((c) => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: c.arguments })),
        ]);
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content }]);
        break;
    }
  }
  return { system: system.length ? system.join('\n\n') : undefined, messages: out };
}

function finish(reason: string | null | undefined): FinishReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  if (reason === 'max_tokens') return 'length';
  if (reason === 'tool_use') return 'tool_calls';
  if (reason === 'refusal') return 'content_filter';
  return 'other';
}

export class AnthropicProvider implements Provider {
  readonly name: string;
  readonly kind = 'anthropic' as const;
  readonly local = false;
  readonly endpoint: string;

  private readonly client: Anthropic;

  constructor(options: AnthropicOptions) {
    this.name = options.name;
    this.endpoint = `${options.baseUrl.replace(/\/$/, '')}/v1/messages`;
    // One client per provider: building one takes longer than the gateway may add to a call.
    this.client = new Anthropic({
      apiKey: options.apiKey ?? null,
      baseURL: options.baseUrl,
      maxRetries: 0, // the gateway's retry loop is the only one
      timeout: 24 * 3_600_000, // the gateway's deadline and stall timer decide
    });
  }

  async generate(request: ProviderRequest): Promise<ProviderAnswer> {
    const client = this.client;
    const wire = toWire(request.messages);
    const tools = request.toolChoice === 'none' ? [] : request.tools;
    const params: MessageCreateParamsStreaming = {
      model: request.model,
      max_tokens: request.maxTokens,
      messages: wire.messages,
      stream: true,
      ...(wire.system === undefined ? {} : { system: wire.system }),
      ...(request.temperature === undefined ? {} : { temperature: Math.min(1, request.temperature) }),
      ...(tools.length
        ? {
            tools: tools.map((t) => ({
              name: t.name,
              description: t.description,
              input_schema: { type: 'object' as const, ...t.parameters },
            })),
            tool_choice: request.toolChoice === 'required' ? { type: 'any' as const } : { type: 'auto' as const },
          }
        : {}),
      ...(request.jsonSchema ? { output_config: { format: { type: 'json_schema' as const, schema: request.jsonSchema } } } : {}),
    };
    let text = '';
    let finishReason: FinishReason = 'other';
    let complete = false;
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    const calls = new Map<number, { id: string; name: string; args: string }>();
    try {
      const stream = await client.messages.create(params, { signal: request.signal });
      for await (const event of stream) {
        request.onActivity();
        switch (event.type) {
          case 'message_start': {
            const u = event.message.usage;
            inputTokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
            outputTokens = u.output_tokens;
            break;
          }
          case 'content_block_start':
            if (event.content_block.type === 'tool_use')
              calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, args: '' });
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') {
              text += event.delta.text;
              request.onText(event.delta.text);
            } else if (event.delta.type === 'input_json_delta') {
              const call = calls.get(event.index);
              if (call) call.args += event.delta.partial_json;
            }
            break;
          case 'message_delta':
            if (event.delta.stop_reason) finishReason = finish(event.delta.stop_reason);
            outputTokens = event.usage.output_tokens;
            if (typeof event.usage.input_tokens === 'number') inputTokens = event.usage.input_tokens;
            break;
          case 'message_stop':
            complete = true;
            break;
          default:
            break;
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
    const usage = inputTokens === undefined || outputTokens === undefined ? undefined : { inputTokens, outputTokens };
    return { text, toolCalls, finishReason, usage };
  }
}
