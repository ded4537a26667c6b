// Builds the provider adapters from the settings. API keys come from the config or the environment
// and are handed back so the kernel can redact them from every output, log line and audit row.
// The cloud SDKs are large: each adapter module loads on its first call, so a server that only
// ever talks to Ollama never loads the OpenAI, Anthropic or Gemini SDKs.
import type { ProviderKind, ProviderSettings } from '../settings.js';
import type { Provider, ProviderAnswer, ProviderRequest } from './provider.js';
import { ScriptedProvider } from './scripted.js';

export interface BuiltProviders {
  providers: Map<string, Provider>;
  /** Whether each provider has an API key (never the key itself). */
  hasKey: Map<string, boolean>;
  /** Every key found, to register as secrets. */
  secrets: string[];
}

type SdkKind = Exclude<ProviderKind, 'scripted'>;

function endpointOf(kind: SdkKind, baseUrl: string): string {
  const base = baseUrl.replace(/\/$/, '');
  switch (kind) {
    case 'ollama':
      return `${base}/api/chat`;
    case 'openai':
    case 'openai-compatible':
      return `${base}/chat/completions`;
    case 'anthropic':
      return `${base}/v1/messages`;
    case 'gemini':
      return `${base}/v1beta/models`;
  }
}

async function load(kind: SdkKind, name: string, baseUrl: string, apiKey: string | undefined): Promise<Provider> {
  switch (kind) {
    case 'ollama':
      return new (await import('./ollama.js')).OllamaProvider({ name, baseUrl });
    case 'openai':
    case 'openai-compatible':
      return new (await import('./openai.js')).OpenAiProvider({ name, kind, baseUrl, apiKey });
    case 'anthropic':
      return new (await import('./anthropic.js')).AnthropicProvider({ name, baseUrl, apiKey });
    case 'gemini':
      return new (await import('./gemini.js')).GeminiProvider({ name, baseUrl, apiKey });
  }
}

/** A provider whose adapter (and SDK) loads on its first call. */
class LazyProvider implements Provider {
  readonly local: boolean;
  readonly endpoint: string;
  private adapter: Promise<Provider> | undefined;

  constructor(
    readonly name: string,
    readonly kind: SdkKind,
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {
    this.local = kind === 'ollama' || kind === 'openai-compatible';
    this.endpoint = endpointOf(kind, baseUrl);
  }

  async prepare(): Promise<void> {
    this.adapter ??= load(this.kind, this.name, this.baseUrl, this.apiKey);
    await this.adapter;
  }

  async generate(request: ProviderRequest): Promise<ProviderAnswer> {
    await this.prepare();
    return (await this.adapter!).generate(request);
  }
}

export function buildProviders(settings: Record<string, ProviderSettings>, env: NodeJS.ProcessEnv): BuiltProviders {
  const providers = new Map<string, Provider>();
  const hasKey = new Map<string, boolean>();
  const secrets: string[] = [];
  for (const s of Object.values(settings)) {
    const fromEnv = s.apiKeyEnv ? env[s.apiKeyEnv] : undefined;
    const apiKey = s.apiKey ?? (fromEnv ? fromEnv : undefined);
    if (apiKey) secrets.push(apiKey);
    hasKey.set(s.name, apiKey !== undefined);
    providers.set(
      s.name,
      s.kind === 'scripted'
        ? new ScriptedProvider({ name: s.name, script: s.script })
        : new LazyProvider(s.name, s.kind, s.baseUrl ?? '', apiKey),
    );
  }
  return { providers, hasKey, secrets };
}
