// The baseline for cold starts: a bare MCP server on the same SDK, one trivial tool, served over
// stdio — what any server pays before its own code runs. Plain JavaScript, so it starts the way the
// built Hearth servers do (no TypeScript loader).
import { Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const handle = serveStdio(() => {
  const server = new Server({ name: 'bare', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', () => ({
    tools: [{ name: 'echo', description: 'Echoes its text.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }],
  }));
  server.setRequestHandler('tools/call', (request) => {
    const text = request.params.arguments?.text;
    return { content: [{ type: 'text', text: typeof text === 'string' ? text : '' }] };
  });
  return server;
});
process.stdin.once('end', () => void handle.close());
