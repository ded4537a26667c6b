// The level each client asked for with logging/setLevel, kept by the long-lived server (an HTTP
// client's requests each get a new protocol instance, so the SDK's own per-instance level would be
// forgotten after the request that set it). Keyed by the client's identity: `stdio`, or the HTTP
// credential.
//
// Until a client sets a level it gets no log messages. The 2025-11-25 specification leaves the
// starting level to the server; its flow has the client choose a level and the server then send at
// and above it, and 2026-07-28 clients get messages only when a request carries a level. A client
// that never asked for a log is not sent one per tool call.
import type { LoggingLevel } from '@modelcontextprotocol/server';

export const LOGGING_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return typeof value === 'string' && (LOGGING_LEVELS as readonly string[]).includes(value);
}

export class ClientLogLevels {
  private readonly levels = new Map<string, LoggingLevel>();

  set(clientId: string, level: LoggingLevel): void {
    this.levels.set(clientId, level);
  }

  /** Whether a message at `level` goes to this client: it set a level, and this one is at or above it. */
  wants(clientId: string, level: LoggingLevel): boolean {
    const threshold = this.levels.get(clientId);
    return threshold !== undefined && LOGGING_LEVELS.indexOf(level) >= LOGGING_LEVELS.indexOf(threshold);
  }
}
