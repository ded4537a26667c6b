// Gemini generateContent through the official `@google/genai` SDK, streamed (streamGenerateContent,
// SSE). Assistant turns are role "model"; tool results are functionResponse parts of a user turn.
import { type Content, FunctionCallingConfigMode, type GenerateContentConfig, GoogleGenAI, type Part } from '@google/genai';

import { type ChatMessage, type FinishReason, type ToolCall, toolNameFor } from '../messages.js';
import { classify } from './classify.js';
import { type Provider, type ProviderAnswer, ProviderFailure, type ProviderRequest } from './provider.js';

export interface GeminiOptions {
  name: string;
  baseUrl: string;
  apiKey: string | undefined;
}

function toWire(messages: readonly ChatMessage[]): { system: string | undefined; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
        system.push(m.content);
        break;
      case 'user':
        push('user', [{ text: m.content }]);
        break;
      case 'assistant':
        push('model', [
          ...(m.content ? [{ text: m.content }] : []),
          ...m.toolCalls.map((c) => ({ functionCall: { id: c.id, name: c.name, args: c.arguments } })),
        ]);
        break;
      case 'tool':
        push('user', [{ functionResponse: { id: m.toolCallId, name: toolNameFor(messages, i), response: { result: m.content } } }]);
        break;
    }
  });
  return { system: system.length ? system.join('\n\n') : undefined, contents };
}

function finish(reason: string | undefined, hasCalls: boolean): FinishReason {
  if (hasCalls) return 'tool_calls';
  if (reason === 'STOP') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason === 'SAFETY' || reason === 'PROHIBITED_CONTENT' || reason === 'BLOCKLIST' || reason === 'SPII') return 'content_filter';
  return 'other';
}

const MODE = { auto: FunctionCallingConfigMode.AUTO, required: FunctionCallingConfigMode.ANY, none: FunctionCallingConfigMode.NONE };

export class GeminiProvider implements Provider {
  readonly name: string;
  readonly kind = 'gemini' as const;
  readonly local = false;
  readonly endpoint: string;

  private readonly ai: GoogleGenAI;

  constructor(options: GeminiOptions) {
    this.name = options.name;
    this.endpoint = `${options.baseUrl.replace(/\/$/, '')}/v1beta/models`;
    // One client per provider. No retryOptions: the SDK then makes exactly one attempt; the
    // gateway's loop does the retrying.
    this.ai = new GoogleGenAI({ apiKey: options.apiKey ?? 'no-key', httpOptions: { baseUrl: options.baseUrl, apiVersion: 'v1beta' } });
  }

  async generate(request: ProviderRequest): Promise<ProviderAnswer> {
    const ai = this.ai;
    const wire = toWire(request.messages);
    const tools = request.toolChoice === 'none' ? [] : request.tools;
    const config: GenerateContentConfig = {
      maxOutputTokens: request.maxTokens,
      abortSignal: request.signal,
      ...(wire.system === undefined ? {} : { systemInstruction: wire.system }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(tools.length
        ? {
            tools: [
              {
                functionDeclarations: tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })),
              },
            ],
            toolConfig: { functionCallingConfig: { mode: MODE[request.toolChoice] } },
          }
        : {}),
      ...(request.jsonSchema ? { responseMimeType: 'application/json', responseJsonSchema: request.jsonSchema } : {}),
    };
    let text = '';
    let reason: string | undefined;
    let usage: ProviderAnswer['usage'];
    const toolCalls: ToolCall[] = [];
    try {
      const stream = await ai.models.generateContentStream({ model: request.model, contents: wire.contents, config });
      for await (const chunk of stream) {
        request.onActivity();
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (part.thought) continue;
          if (part.text) {
            text += part.text;
            request.onText(part.text);
          }
          if (part.functionCall?.name)
            toolCalls.push({
              id: part.functionCall.id ?? '',
              name: part.functionCall.name,
              arguments: part.functionCall.args ?? {},
            });
        }
        if (candidate?.finishReason) reason = candidate.finishReason;
        const meta = chunk.usageMetadata;
        if (meta?.promptTokenCount !== undefined)
          usage = {
            inputTokens: meta.promptTokenCount,
            outputTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0),
          };
      }
    } catch (error) {
      throw classify(error, request.signal, {}, this.name);
    }
    if (request.signal.aborted) throw classify(new Error('aborted'), request.signal, {}, this.name);
    if (reason === undefined) throw new ProviderFailure('network', `${this.name} closed the connection before the answer was complete`);
    return { text, toolCalls, finishReason: finish(reason, toolCalls.length > 0), usage };
  }
}
