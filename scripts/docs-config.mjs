// Writes the config reference table of docs/config-and-logging.md from the settings table
// (lib/app/settings). Run with `npm run docs:config`; test/lib/app/settings/reference.test.ts fails
// while the committed table differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appConfigReference } from '../dist/lib/app/settings/index.js';
import { withReference } from '../dist/lib/settings/index.js';

const doc = fileURLToPath(new URL('../docs/config-and-logging.md', import.meta.url));
const before = readFileSync(doc, 'utf8');
const after = withReference(before, appConfigReference());
if (after === before) console.log('docs/config-and-logging.md: config reference up to date');
else {
  writeFileSync(doc, after);
  console.log('docs/config-and-logging.md: config reference rewritten');
}
