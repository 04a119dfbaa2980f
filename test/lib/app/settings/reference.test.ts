import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appConfigReference, CONFIG_SECTIONS } from '../../../../lib/app/settings/index.js';
import { REFERENCE_END, REFERENCE_START, withReference } from '../../../../lib/settings/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const doc = readFileSync(resolve(root, 'docs/config-and-logging.md'), 'utf8');

describe('the config reference in docs/config-and-logging.md', () => {
  it('should be the table the settings generate (run `npm run docs:config` after changing a setting)', () => {
    assert.ok(doc.includes(REFERENCE_START) && doc.includes(REFERENCE_END), 'the markers are missing');
    assert.equal(withReference(doc, appConfigReference()), doc);
  });

  it('should list every config key once', () => {
    const keys = CONFIG_SECTIONS.flatMap((s) => Object.values(s).map((x) => x.spec.key)).filter((k) => k !== undefined);
    const rows = doc.slice(doc.indexOf(REFERENCE_START), doc.indexOf(REFERENCE_END)).split('\n').filter((l) => l.startsWith('| `'));
    assert.deepEqual(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1]), keys);
    assert.equal(new Set(keys).size, keys.length);
  });
});
