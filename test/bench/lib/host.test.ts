import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The bench is plain JavaScript outside the build: read from the source tree, as `npm run bench` runs it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Host { syscallUs: number; pageFaultUs: number }
interface HostProbe {
  probeHost(): Host;
  describeHost(host: Host | undefined): string | undefined;
}
const probe = (await import(pathToFileURL(join(root, 'bench', 'lib', 'host.mjs')).href)) as HostProbe;

describe('the bench reads what kind of host it ran on', () => {
  it('times a system call and the first write to a fresh page, in µs', () => {
    const host = probe.probeHost();
    // A getppid(2) through node's binding takes tens of ns at least and under a millisecond on any host.
    assert.ok(host.syscallUs > 0.01 && host.syscallUs < 1000, `system call ${host.syscallUs} µs`);
    // A fresh page costs the kernel a zeroed 4 KiB page at least (nearly nothing where huge pages are on), less than a millisecond.
    assert.ok(Number.isFinite(host.pageFaultUs) && host.pageFaultUs >= 0 && host.pageFaultUs < 1000, `fresh page ${host.pageFaultUs} µs`);
  });

  it('prints both readings on the report line, and nothing for a run that has none', () => {
    const line = probe.describeHost({ syscallUs: 1.5, pageFaultUs: 10.84 });
    assert.match(line ?? '', /^host: a system call 1\.50 µs, a fresh page 10\.84 µs/);
    assert.equal(probe.describeHost(undefined), undefined);
  });
});
