// Writes bundle.generated.ts. Usage: node --import tsx servers/code/helpers/generate.ts
import { writeFileSync } from 'node:fs';

import { buildHelpersModule, GENERATED_FILE } from './build-bundle.js';

writeFileSync(GENERATED_FILE, await buildHelpersModule());
process.stdout.write(`wrote ${GENERATED_FILE}\n`);
