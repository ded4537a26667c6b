// The memory server. Placeholder until its issue lands: it serves no tools yet.
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { defineServer, type HearthServer } from '../../shared/server.js';

export function createServer(config: HearthConfig): HearthServer {
  const kernel = new Kernel({ config, server: 'memory' });
  return defineServer({ name: 'memory', instructions: 'Not built yet.', kernel, tools: [] });
}
