// web_request: a plain HTTP request (the API fallback) under the same origin allowlist.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import type { Preview } from '../../../lib/preview.js';
import { truncate } from '../../../shared/output.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { copyArgs, MASKED, SECRET_HINT } from '../audit-masks.js';
import { isTextual, performRequest, SECRET_HEADERS } from '../http-request.js';
import type { WebRuntime } from '../runtime.js';
import { SessionField } from '../schemas.js';
import { assertNavigable } from '../url-policy.js';

const FORBIDDEN_HEADERS = /^(host|content-length|connection|transfer-encoding|upgrade|proxy-.*|keep-alive|te|trailer)$/i;

export function requestTool(runtime: WebRuntime): Tool {
  const { kernel, settings } = runtime;

  const input = z.object({
    url: z.string().min(1).max(8_192).describe('Absolute http(s) URL on an allowed origin.'),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET').describe('HTTP method.'),
    headers: z
      .record(z.string().min(1).max(200), z.string().max(8_192))
      .default({})
      .describe('Request headers (credentials are masked in logs).'),
    body: z.string().max(5_000_000).optional().describe('Request body as text.'),
    json: z.unknown().optional().describe('Body as JSON (sets content-type); not with body.'),
    session: SessionField.describe('Send (and keep) this browser session’s cookies. Default: none.'),
    followRedirects: z.boolean().default(true).describe('Follow allowlisted redirects.'),
    timeoutMs: z.number().int().min(100).max(120_000).default(30_000).describe('Give up after this long.'),
    maxChars: z
      .number()
      .int()
      .min(100)
      .max(200_000)
      .default(20_000)
      .describe('Response text returned inline; the whole body (up to the server’s byte cap) is stored as a resource when longer.'),
  });

  function maskedHeaders(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.test(k) || SECRET_HINT.test(k) ? MASKED : v]));
  }

  return defineTool({
    name: 'web_request',
    title: 'Send an HTTP request',
    description:
      'Sends a plain HTTP request to an allowlisted origin: the API route when no page is needed. Redirects are followed only within the allowlist. With session, that browser session’s cookies go along. Returns status, headers and the body (text inline up to maxChars, JSON parsed, large or binary bodies as a resource).',
    effect: 'external',
    input,
    output: z.object({
      status: z.number().int(),
      statusText: z.string(),
      url: z.string().describe('The final URL after redirects.'),
      redirects: z.array(z.string()),
      blockedRedirect: z
        .object({ url: z.string(), reason: z.string() })
        .optional()
        .describe('A redirect that was not followed because its target is not allowed.'),
      headers: z.record(z.string(), z.string()),
      contentType: z.string(),
      bytes: z.number().int(),
      truncated: z.boolean().describe('The body was longer than the byte cap and was cut.'),
      text: z.string().optional().describe('The body as text (cut at maxChars), for textual content types.'),
      json: z.unknown().optional().describe('The body parsed as JSON, when it is JSON and fits in maxChars.'),
      resource: z.string().optional().describe('Resource URI of the whole body, when it was too long or binary.'),
    }),
    auditArgs: (args) => {
      const copy = copyArgs(args);
      copy.headers = maskedHeaders(args.headers);
      return copy;
    },
    async preview(args): Promise<Preview> {
      const url = assertNavigable(kernel.policy, args.url, 'url');
      const body = args.json !== undefined ? JSON.stringify(args.json) : args.body;
      return {
        summary: `${args.method} ${url}${args.session ? ` with the cookies of session ${args.session}` : ''}`,
        changes: [
          { kind: 'request', method: args.method, url, headers: maskedHeaders(args.headers), ...(body !== undefined ? { body } : {}) },
        ],
      };
    },
    async handler(args, ctx) {
      const url = assertNavigable(kernel.policy, args.url, 'url');
      if (args.body !== undefined && args.json !== undefined)
        throw invalidArgument('json', 'give body or json, not both', 'Drop one of them.');
      for (const name of Object.keys(args.headers))
        if (FORBIDDEN_HEADERS.test(name)) throw invalidArgument(`headers.${name}`, 'this header is set by the client itself', 'Remove it.');
      const headers = { ...args.headers };
      let body = args.body;
      if (args.json !== undefined) {
        body = JSON.stringify(args.json);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
      const session = args.session ? await runtime.sessions.acquire(args.session) : undefined;
      const outcome = await performRequest(
        {
          method: args.method,
          url,
          headers,
          body,
          timeoutMs: args.timeoutMs,
          maxBytes: settings.requestMaxBytes,
          followRedirects: args.followRedirects,
        },
        { policy: kernel.policy, context: session?.context, signal: ctx.signal },
      );
      const textual = isTextual(outcome.contentType);
      let text: string | undefined;
      let json: unknown;
      let resource: string | undefined;
      const content = [];
      if (textual) {
        const full = outcome.body.toString('utf8');
        const cut = truncate(full, args.maxChars, 'the whole body is in the linked resource');
        text = cut.text;
        if (/json/i.test(outcome.contentType) && !cut.truncated) {
          try {
            json = JSON.parse(full);
          } catch {
            json = undefined;
          }
        }
        if (cut.truncated) {
          const artifact = kernel.artifacts.put(
            'response.txt',
            outcome.body,
            outcome.contentType.split(';')[0] || 'text/plain',
            `Body of ${args.method} ${outcome.url}`,
          );
          resource = artifact.uri;
          content.push(kernel.artifacts.link(artifact));
        }
      } else if (outcome.body.length) {
        const artifact = kernel.artifacts.put(
          'response.bin',
          outcome.body,
          outcome.contentType.split(';')[0] || 'application/octet-stream',
          `Body of ${args.method} ${outcome.url}`,
        );
        resource = artifact.uri;
        content.push(kernel.artifacts.link(artifact));
      }
      const structured = {
        status: outcome.status,
        statusText: outcome.statusText,
        url: outcome.url,
        redirects: outcome.redirects,
        ...(outcome.blockedRedirect ? { blockedRedirect: outcome.blockedRedirect } : {}),
        headers: outcome.headers,
        contentType: outcome.contentType,
        bytes: outcome.body.length,
        truncated: outcome.truncated,
        ...(text !== undefined ? { text } : {}),
        ...(json !== undefined ? { json } : {}),
        ...(resource ? { resource } : {}),
      };
      const size = `${outcome.body.length} bytes${outcome.truncated ? ', cut at the byte cap' : ''}`;
      const lines = [
        `${args.method} ${outcome.url} → ${outcome.status} ${outcome.statusText} (${outcome.contentType || 'no content type'}, ${size})`,
      ];
      if (outcome.blockedRedirect)
        lines.push(`! redirect to ${outcome.blockedRedirect.url} not followed: ${outcome.blockedRedirect.reason}`);
      if (text !== undefined) lines.push(text);
      else if (resource) lines.push(`(binary body stored as ${resource})`);
      return { structured, text: lines.join('\n'), content };
    },
  });
}
