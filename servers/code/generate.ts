// Writes the code server's generated scripts: the helpers bundle (helpers/src) and the isolate
// prelude (sandbox/prelude.ts). Usage: node --import tsx servers/code/generate.ts
import { writeFileSync } from 'node:fs';

import { buildHelpersModule, GENERATED_FILE } from './helpers/build-bundle.js';
import { buildPreludeModule, PRELUDE_GENERATED_FILE } from './sandbox/build-prelude.js';

for (const [file, text] of [
  [GENERATED_FILE, await buildHelpersModule()],
  [PRELUDE_GENERATED_FILE, await buildPreludeModule()],
] as const) {
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
