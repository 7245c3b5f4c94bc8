/**
 * The last step of `npm test` (scripts/test.sh): merges the kubectl e2e results every test process
 * recorded in the run directory ({@link compatDir}) into docs/compatibility.md, then removes them.
 * Run as `node dist/test/e2e/write-compatibility.js`; with no recorded result it leaves the file
 * alone.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compatDir, readResults, renderCompatibility } from './compatibility.js';
import { REPO_ROOT } from '../support/process.js';

/**
 * Writes the matrix of the results in `dir` to `outFile` (dated `when`) and deletes the result
 * files; returns how many results it merged (0: nothing written).
 */
export function writeCompatibility(dir: string, outFile: string, when = new Date()): number {
  const results = readResults(dir);
  if (results.length === 0) return 0;
  writeFileSync(outFile, renderCompatibility(results, when));
  rmSync(dir, { recursive: true, force: true });
  return results.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = join(REPO_ROOT, 'docs', 'compatibility.md');
  const n = writeCompatibility(compatDir(), out);
  console.log(n === 0 ? `write-compatibility: no kubectl e2e results in ${compatDir()}; ${out} left as it was` : `write-compatibility: ${n} results written to ${out}`);
}
