// Builds the provider adapters from the settings. API keys come from the config or the environment
// and are handed back so the kernel can redact them from every output, log line and audit row.
import type { ProviderSettings } from '../settings.js';
import { AnthropicProvider } from './anthropic.js';
import { GeminiProvider } from './gemini.js';
import { OllamaProvider } from './ollama.js';
import { OpenAiProvider } from './openai.js';
import type { Provider } from './provider.js';
import { ScriptedProvider } from './scripted.js';

export interface BuiltProviders {
  providers: Map<string, Provider>;
  /** Whether each provider has an API key (never the key itself). */
  hasKey: Map<string, boolean>;
  /** Every key found, to register as secrets. */
  secrets: string[];
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
    const baseUrl = s.baseUrl ?? '';
    switch (s.kind) {
      case 'ollama':
        providers.set(s.name, new OllamaProvider({ name: s.name, baseUrl }));
        break;
      case 'openai':
      case 'openai-compatible':
        providers.set(s.name, new OpenAiProvider({ name: s.name, kind: s.kind, baseUrl, apiKey }));
        break;
      case 'anthropic':
        providers.set(s.name, new AnthropicProvider({ name: s.name, baseUrl, apiKey }));
        break;
      case 'gemini':
        providers.set(s.name, new GeminiProvider({ name: s.name, baseUrl, apiKey }));
        break;
      case 'scripted':
        providers.set(s.name, new ScriptedProvider({ name: s.name, script: s.script }));
        break;
    }
  }
  return { providers, hasKey, secrets };
}
