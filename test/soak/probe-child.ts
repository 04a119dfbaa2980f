// The soak's probe client in a process of its own (test/soak/probe-process.ts starts it). Asked over
// IPC for { target, perSecond, seconds }, it probes and answers with what it measured.
import { exitWithParent } from '../fixtures/apps/parent-link.js';
import { probe, sleep, type ProbeTarget } from './load-tools.js';

exitWithParent();
// Started with --expose-gc (probe-process.ts): its garbage is collected once it has answered, never as
// a phase starts (the runner starts the load as it asks; a probe that started a GC late had its first
// call land in the overload's first burst, opening its connection behind it).
const collect = (globalThis as { gc?: () => void }).gc;
process.on('message', (m: { target: ProbeTarget; perSecond: number; seconds: number }) => {
  void probe(m.target, m.perSecond, sleep(m.seconds * 1000)).then((probed) => {
    process.send?.(probed);
    collect?.();
  });
});
collect?.();
process.send?.('ready');
