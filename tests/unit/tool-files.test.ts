// One tool per file, the same shape in every server: servers/<server>/tools/<name>.ts defines the
// tool <area>_<name> (dashes for underscores; the area is the server's name or the one its tools
// share, such as llm_ in the budget server) and exports exactly one thing, its factory
// `<name>Tool(runtime): Tool`; servers/<server>/tools/index.ts lists every one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { REPO } from '../helpers/mcp-client.js';

const DEFINES = /\b(?:defineTool|defineTabTool|defineWebAction)\(/g;
const TOOL_NAME = /^\s+name: '([a-z0-9_]+)',$/m;

function camel(file: string): string {
  return file.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

it('each tool file defines one tool named for the file, exports only its factory, and is listed', () => {
  const problems: string[] = [];
  let tools = 0;
  for (const server of readdirSync(join(REPO, 'servers'))) {
    const dir = join(REPO, 'servers', server, 'tools');
    const names = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    for (const file of names) {
      const source = readFileSync(join(dir, file), 'utf8');
      const defines = source.match(DEFINES)?.length ?? 0;
      if (defines === 0) continue; // a helper shared by the tool files (schemas, previews, renderings)
      tools++;
      const base = file.replace(/\.ts$/, '');
      const where = `servers/${server}/tools/${file}`;
      if (defines > 1) problems.push(`${where}: defines ${defines} tools; one per file`);
      const name = TOOL_NAME.exec(source)?.[1];
      const verb = base.replace(/-/g, '_');
      if (name?.slice(name.indexOf('_') + 1) !== verb) problems.push(`${where}: defines ${name ?? 'no named tool'}, not <area>_${verb}`);
      const exports = [...source.matchAll(/^export (?:async )?(?:function|const|class|interface|type) (\w+)/gm)].map((m) => m[1]);
      const factory = `${camel(base)}Tool`;
      if (exports.length !== 1 || exports[0] !== factory)
        problems.push(`${where}: exports ${exports.join(', ') || 'nothing'}; only ${factory}`);
      if (!new RegExp(`^export function ${factory}\\(\\w+: \\w+\\): Tool \\{$`, 'm').test(source))
        problems.push(`${where}: ${factory} is not \`export function ${factory}(runtime): Tool\``);
      if (!index.includes(`from './${base}.js'`) || !index.includes(`${factory}(`)) problems.push(`${where}: not listed in tools/index.ts`);
    }
  }
  expect(tools).toBeGreaterThanOrEqual(44);
  expect(problems).toEqual([]);
});
