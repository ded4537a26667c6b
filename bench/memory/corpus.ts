// The pinned evaluation corpus: reads each listed package document from node_modules and checks
// its version and content hash, so a changed package cannot silently change the scores.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusDocument {
  id: string;
  package: string;
  version: string;
  path: string;
  sha256: string;
}

export interface EvalQuery {
  q: string;
  relevant: string[];
}

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');

export function loadCorpus(): { documents: (CorpusDocument & { text: string })[]; problems: string[] } {
  const { documents } = JSON.parse(readFileSync(join(HERE, 'corpus.json'), 'utf8')) as { documents: CorpusDocument[] };
  const problems: string[] = [];
  const out: (CorpusDocument & { text: string })[] = [];
  for (const d of documents) {
    const file = join(ROOT, 'node_modules', d.package, d.path);
    if (!existsSync(file)) {
      problems.push(`${d.id}: ${d.package}/${d.path} is missing`);
      continue;
    }
    const bytes = readFileSync(file);
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (hash !== d.sha256) {
      const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', d.package, 'package.json'), 'utf8')) as { version: string })
        .version;
      problems.push(`${d.id}: ${d.package}@${version}/${d.path} differs from the pinned ${d.package}@${d.version}`);
      continue;
    }
    out.push({ ...d, text: bytes.toString('utf8') });
  }
  return { documents: out, problems };
}

export function loadQueries(): EvalQuery[] {
  return (JSON.parse(readFileSync(join(HERE, 'queries.json'), 'utf8')) as { queries: EvalQuery[] }).queries;
}
