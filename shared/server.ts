// defineServer: a Hearth server is its tools plus its domain objects. This wires them to MCP: one
// long-lived HearthServer per process (owning databases, isolates, browsers) hands out a light
// protocol instance per stdio connection or per HTTP request.
import {
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server';

import { isHearthError } from '../lib/errors.js';
import { identify } from './client-identity.js';
import { ClientLogLevels, isLoggingLevel, LOGGING_LEVELS } from './client-log-levels.js';
import { ToolDispatcher } from './dispatch.js';
import type { Kernel } from './kernel.js';
import { packageInfo } from './package-info.js';
import { type Prompt, renderPrompt } from './prompt.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import type { ClientIdentity, Tool } from './tool.js';

/** Extra resources a server exposes besides its artifacts. */
export interface ResourceSource {
  /** Whether this source owns the URI. */
  owns(uri: string): boolean;
  list(): Promise<Resource[]>;
  read(uri: string): Promise<ReadResourceResult>;
  /** The URI templates of what this source serves, for resources/templates/list. */
  readonly templates: readonly ResourceTemplateType[];
  /**
   * A fingerprint of the resource's content that changes when it changes (undefined: it does not
   * exist), for subscriptions. Goes through the same checks as read: throws for a URI it will not serve.
   */
  version(uri: string): string | undefined;
}

export interface ServerDefinition {
  name: string;
  /** Shown to the client at connect: what the server is for and how to use its tools together. */
  instructions: string;
  kernel: Kernel;
  tools: readonly Tool[];
  resources?: readonly ResourceSource[];
  /** Prompts the client may offer its person, e.g. "search my notes about…". */
  prompts?: readonly Prompt[];
  /** Releases what the server owns (databases, isolates, browsers). The kernel is closed after. */
  close?: () => Promise<void> | void;
}

export type Transport = ClientIdentity['transport'];

export interface HearthServer {
  readonly name: string;
  readonly kernel: Kernel;
  readonly tools: readonly Tool[];
  /**
   * A protocol instance for one stdio connection, one HTTP request, or one 2025-era HTTP session
   * (`session: true`: a connection that carries the server's requests and notifications).
   */
  connect(transport: Transport, options?: { session?: boolean }): Server;
  /** Waits (up to a limit) for the tool calls in flight to end. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function defineServer(definition: ServerDefinition): HearthServer {
  const { kernel } = definition;
  const logLevels = new ClientLogLevels();
  const dispatcher = new ToolDispatcher(kernel, definition.tools, logLevels);
  const sources = definition.resources ?? [];
  const prompts = definition.prompts ?? [];
  const version = packageInfo().version;
  let closed = false;
  /** Each connection's subscriptions, checked after every tool call on this server. */
  const watchers = new Set<ResourceSubscriptions>();
  const artifactTemplate: ResourceTemplateType = {
    uriTemplate: `hearth://${definition.name}/artifacts/{id}/{name}`,
    name: 'artifact',
    title: 'A large tool result',
    description: 'Output a tool stored as an artifact and linked in its result (kept for the configured retention).',
  };

  /** A resource's version, through its source's checks: undefined when it does not exist, a protocol error for a URI refused. */
  function versionOf(uri: string): string | undefined {
    const source = sources.find((s) => s.owns(uri));
    try {
      if (source) return source.version(uri);
      // Artifacts never change once stored; one deleted by retention has no version.
      kernel.artifacts.read(uri);
      return 'stored';
    } catch (error) {
      if (!isHearthError(error)) throw error;
      if (error.code === 'NOT_FOUND') return undefined;
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.message}. ${error.hint}`, { uri });
    }
  }

  function connect(transport: Transport, options: { session?: boolean } = {}): Server {
    // Subscriptions and a 2025 client's elicitation need a connection that carries the server's own
    // messages between requests: stdio and an HTTP session do; a stateless HTTP request does not.
    const connected = transport !== 'http' || options.session === true;
    const server = new Server(
      { name: `hearth-${definition.name}`, version, title: `Hearth ${definition.name}` },
      {
        // logging: one message per tool call, to a client that set a level (shared/client-log-levels.ts).
        capabilities: { tools: {}, resources: { subscribe: connected }, prompts: {}, logging: {} },
        instructions: definition.instructions,
        requestState: { verify: (state, ctx) => kernel.approvalState.verify(state, ctx) },
      },
    );
    const who = (ctx: ServerContext) =>
      identify(ctx, transport, { name: server.getClientVersion()?.name, capabilities: server.getClientCapabilities() }, connected);

    server.setRequestHandler('logging/setLevel', (request, ctx) => {
      const { level } = request.params;
      if (!isLoggingLevel(level)) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `level: ${String(level)} is not a log level; use one of ${LOGGING_LEVELS.join(', ')}`,
        );
      }
      logLevels.set(who(ctx).id, level);
      return {};
    });
    server.setRequestHandler('tools/list', () => ({ tools: dispatcher.list() }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      try {
        return await dispatcher.call(request.params.name, request.params.arguments, ctx, who(ctx));
      } finally {
        // After the answer, not before it: a subscription never holds up a tool's result.
        setImmediate(() => {
          for (const watcher of watchers) void watcher.check();
        });
      }
    });
    if (connected) {
      const subscriptions = new ResourceSubscriptions(versionOf, (uri) => server.sendResourceUpdated({ uri }));
      watchers.add(subscriptions);
      const previousClose = server.onclose;
      server.onclose = () => {
        watchers.delete(subscriptions);
        previousClose?.();
      };
      server.setRequestHandler('resources/subscribe', (request) => {
        const { uri } = request.params;
        if (versionOf(uri) === undefined) {
          throw new ProtocolError(ProtocolErrorCode.ResourceNotFound, `resource ${uri} does not exist`, { uri });
        }
        subscriptions.subscribe(uri);
        return {};
      });
      server.setRequestHandler('resources/unsubscribe', (request) => {
        subscriptions.unsubscribe(request.params.uri);
        return {};
      });
    }
    server.setRequestHandler('resources/list', async (request) => {
      const page = kernel.artifacts.list(request.params?.cursor);
      const own = page.artifacts.map((a) => ({
        uri: a.uri,
        name: a.name,
        mimeType: a.mimeType,
        size: a.bytes,
        ...(a.description ? { description: a.description } : {}),
      }));
      const extra = request.params?.cursor ? [] : (await Promise.all(sources.map((s) => s.list()))).flat();
      return { resources: [...extra, ...own], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    });
    server.setRequestHandler('resources/templates/list', () => ({
      resourceTemplates: [...sources.flatMap((s) => s.templates), artifactTemplate],
    }));
    server.setRequestHandler('prompts/list', () => ({
      prompts: prompts.map((p) => ({ name: p.name, title: p.title, description: p.description, arguments: [...p.arguments] })),
    }));
    server.setRequestHandler('prompts/get', (request) => {
      const prompt = prompts.find((p) => p.name === request.params.name);
      if (!prompt) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `there is no prompt named ${request.params.name}; this server has ${prompts.map((p) => p.name).join(', ') || 'none'}`,
        );
      }
      try {
        const text = renderPrompt(prompt, request.params.arguments ?? {});
        return { description: prompt.description, messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
      } catch (error) {
        if (isHearthError(error)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.message}. ${error.hint}`);
        throw error;
      }
    });
    server.setRequestHandler('resources/read', async (request) => {
      const { uri } = request.params;
      try {
        const source = sources.find((s) => s.owns(uri));
        if (source) return kernel.redactor.value(await source.read(uri));
        const { artifact, data } = kernel.artifacts.read(uri);
        const textual =
          artifact.mimeType.startsWith('text/') || artifact.mimeType === 'application/json' || artifact.mimeType === 'image/svg+xml';
        return {
          contents: [
            textual
              ? { uri, mimeType: artifact.mimeType, text: kernel.redactor.text(data.toString('utf8')) }
              : { uri, mimeType: artifact.mimeType, blob: kernel.redactor.bytes(data).toString('base64') },
          ],
        };
      } catch (error) {
        if (isHearthError(error)) throw new ProtocolError(ProtocolErrorCode.ResourceNotFound, `${error.message}. ${error.hint}`, { uri });
        throw error;
      }
    });
    return server;
  }

  return {
    name: definition.name,
    kernel,
    tools: definition.tools,
    connect,
    drain: () => dispatcher.drain(),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await dispatcher.drain();
        await definition.close?.();
      } finally {
        kernel.close();
      }
    },
  };
}
