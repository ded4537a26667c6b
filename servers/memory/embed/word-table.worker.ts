// Worker entry: builds the word table file off the main thread (see word-table.ts).
import { workerData } from 'node:worker_threads';

import { buildWordTableFile } from './word-table.js';

const { source, out } = workerData as { source: string; out: string };
buildWordTableFile(source, out);
