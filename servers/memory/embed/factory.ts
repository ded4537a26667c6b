// The embedder a server uses, from its settings. Ollama is reached only when the policy allows the
// provider, and only on this machine unless its host is on the outbound allowlist.
import { HearthError } from '../../../lib/errors.js';
import type { PolicyEngine } from '../../../policies/engine.js';
import type { ResolvedSettings } from '../settings.js';
import { BuiltinEmbedder } from './builtin.js';
import type { Embedder } from './embedder.js';
import { OllamaEmbedder } from './ollama.js';
import { OnnxEmbedder } from './onnx.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function createEmbedder(settings: ResolvedSettings, policy: PolicyEngine): Embedder {
  const e = settings.embedder;
  switch (e.provider) {
    case 'builtin':
      return new BuiltinEmbedder({ cacheDir: settings.cacheDir });
    case 'onnx':
      return new OnnxEmbedder(e);
    case 'ollama': {
      const host = new URL(e.baseUrl).hostname;
      if (!policy.providerAllowed('ollama')) {
        throw new HearthError(
          'CONFIG_INVALID',
          'servers.memory.embedder: the policy does not allow the ollama provider',
          `Add "ollama" to llm.providers in ${policy.source}, or use the builtin embedder.`,
        );
      }
      if (!LOOPBACK.has(host) && !policy.outboundAllowed(host)) {
        throw new HearthError(
          'CONFIG_INVALID',
          `servers.memory.embedder.baseUrl: ${host} is not on this machine and not on the outbound allowlist`,
          `Add "${host}" to outbound.hosts in ${policy.source}, or run Ollama locally.`,
        );
      }
      return new OllamaEmbedder(e);
    }
  }
}
