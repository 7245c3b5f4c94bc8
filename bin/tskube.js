#!/usr/bin/env node
// Entry point of the multicall CLI; the compiled code lives in dist/.
import { main } from '../dist/src/cli/main.js';
main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; }, (err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
