// The `scripted` provider: answers from a script file instead of a model, for demos and tests. Every
// answer says it is scripted (ProviderAnswer.scripted → llm_generate's `scripted: true`). It streams
// its text word by word like a model, stops when cancelled, and costs nothing.
import { basename } from 'node:path';

import { HearthError } from '../../../lib/errors.js';
import type { ChatMessage } from '../messages.js';
import { type Provider, type ProviderAnswer, ProviderFailure, type ProviderRequest } from './provider.js';
import { describeMatch, loadScript, matches, type Script } from './script.js';

export interface ScriptedOptions {
  name: string;
  script: string | undefined;
}

const approxTokens = (text: string) => Math.ceil(Buffer.byteLength(text) / 4);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }
    signal.addEventListener('abort', abort, { once: true });
  });
}

export class ScriptedProvider implements Provider {
  readonly name: string;
  readonly kind = 'scripted' as const;
  readonly local = true;
  readonly endpoint: string;
  private readonly script: Script | undefined;
  private readonly used = new Set<number>();

  constructor(private readonly options: ScriptedOptions) {
    this.name = options.name;
    this.endpoint = options.script ? `script:${options.script}` : 'script:(none configured)';
    this.script = options.script ? loadScript(options.script) : undefined;
  }

  async generate(request: ProviderRequest): Promise<ProviderAnswer> {
    if (!this.script)
      throw new HearthError(
        'CONFIG_INVALID',
        `the ${this.name} provider has no script file`,
        `Set servers.budget.providers.${this.name}.script to a script file (see docs/servers/budget.md).`,
      );
    const index = this.pick(request.messages);
    const turn = this.script.turns[index]!;
    if (!turn.repeat) this.used.add(index);
    const text = turn.json !== undefined ? JSON.stringify(turn.json) : (turn.text ?? '');
    for (const word of text.match(/\S+\s*|\s+/g) ?? []) {
      if (turn.chunkDelayMs) await sleep(turn.chunkDelayMs, request.signal).catch(() => undefined);
      if (request.signal.aborted) throw this.aborted(request.signal);
      request.onActivity();
      request.onText(word);
    }
    const toolCalls = turn.toolCalls.map((c) => ({ id: c.id ?? '', name: c.name, arguments: c.arguments }));
    const conversation = request.messages.map((m) => m.content).join('\n');
    return {
      text,
      toolCalls,
      finishReason: toolCalls.length ? 'tool_calls' : 'stop',
      usage: turn.usage ?? {
        inputTokens: approxTokens(conversation),
        outputTokens: approxTokens(text) + approxTokens(JSON.stringify(turn.toolCalls.map((c) => c.arguments))),
      },
      scripted: { script: basename(this.options.script!), turn: index },
    };
  }

  private aborted(signal: AbortSignal): ProviderFailure {
    const reason: unknown = signal.reason;
    if (reason === 'timeout') return new ProviderFailure('timeout', `${this.name} did not finish within the attempt's time limit`);
    if (reason === 'stalled') return new ProviderFailure('stalled', `${this.name} stopped sending in the middle of its answer`);
    return new ProviderFailure('cancelled', 'the call was cancelled');
  }

  /** The first turn still available whose conditions hold. */
  private pick(messages: readonly ChatMessage[]): number {
    const turns = this.script!.turns;
    const open = turns.map((_, i) => i).filter((i) => !this.used.has(i));
    const found = open.find((i) => matches(turns[i]!.match, messages));
    if (found !== undefined) return found;
    const file = basename(this.options.script!);
    if (open.length === 0)
      throw new ProviderFailure(
        'rejected',
        `the script ${file} has run out: all ${turns.length} turns have answered (the conversation asked for answer ${messages.filter((m) => m.role === 'assistant').length + 1})`,
      );
    const last = messages[messages.length - 1];
    const excerpt = last ? `${last.role}: ${last.content.slice(0, 120).replace(/\s+/g, ' ')}` : '(empty conversation)';
    throw new ProviderFailure(
      'rejected',
      `no turn of the script ${file} matches the conversation (last message ${JSON.stringify(excerpt)}); turns still open: ${open
        .slice(0, 5)
        .map((i) => `#${i} when ${describeMatch(turns[i]!.match)}`)
        .join('; ')}${open.length > 5 ? '; …' : ''}`,
    );
  }
}
