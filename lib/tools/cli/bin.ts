#!/usr/bin/env node
import { main } from './main.js';

// The `kratos-ts` binary: always runs, however it was started (npm's bin link, npx, an npm script,
// a global install, a symlink of its own), unlike main.js which only runs when it is the entry.
process.exitCode = await main(process.argv.slice(2));
