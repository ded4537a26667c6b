// The isolate prelude is compiled from sandbox/prelude.ts; the committed script must match what the
// source builds to, so what runs in the isolate is what the compiler checked.
import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { buildPreludeModule, PRELUDE_GENERATED_FILE } from '../../servers/code/sandbox/build-prelude.js';

it('prelude.generated.ts is up to date with sandbox/prelude.ts (regenerate with servers/code/generate.ts)', async () => {
  expect(readFileSync(PRELUDE_GENERATED_FILE, 'utf8')).toBe(await buildPreludeModule());
});
