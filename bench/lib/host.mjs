// What kind of host the run had, read in a fraction of a second. Two hosts of the same machine kind can
// differ by 2x on every server here (raw node:http 15 µs a request on one, 31 on another), and neither
// the load average nor an A/A control tells a noisy host from a host whose kernel work is dear. These
// two readings do: a system call, and the first write to a page (the kernel's page fault, which a host
// with software-managed page tables or free-page reporting to its hypervisor makes ten times dearer).
// Boot is mostly fresh pages (some 10,000 faults for the helloworld sample) and a request on loopback is
// mostly kernel work, so both move with these.

const CALLS = 100_000;
const PAGES = 16_384; // 64 MiB
const PAGE = 4096;

const nanos = (from) => Number(process.hrtime.bigint() - from);

/** µs a system call (node's `process.ppid` is a getppid(2) each time, plus the binding's own cost). */
function syscallMicros() {
  const from = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) process.ppid;
  return nanos(from) / CALLS / 1000;
}

/** µs the kernel takes to give a fresh page: the first write to each page of a new mapping, less a second. */
function pageFaultMicros() {
  const buf = Buffer.allocUnsafeSlow(PAGES * PAGE); // large enough to be mapped fresh, not reused from the heap
  const touch = (value) => {
    const from = process.hrtime.bigint();
    for (let i = 0; i < buf.length; i += PAGE) buf[i] = value;
    return nanos(from);
  };
  const first = touch(1);
  const again = touch(2);
  return Math.max(0, first - again) / PAGES / 1000;
}

/** Both readings, each the least of three (the host's cost, not a neighbour's moment). */
export function probeHost() {
  const least = (read) => Math.min(read(), read(), read());
  return { syscallUs: least(syscallMicros), pageFaultUs: least(pageFaultMicros) };
}

/** One line for a report. */
export function describeHost(host) {
  if (host === undefined) return undefined;
  return `host: a system call ${host.syscallUs.toFixed(2)} µs, a fresh page ${host.pageFaultUs.toFixed(2)} µs (the slow hosts of 29 Nov 2026 read 1.5 and 10.8: "Method" in docs/performance.md)`;
}
