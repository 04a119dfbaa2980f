// The soak's probe client in a process of its own (test/soak/probe-process.ts starts it). Asked over
// IPC for { target, perSecond, seconds }, it probes and answers with what it measured.
import { exitWithParent } from '../fixtures/apps/parent-link.js';
import { probe, sleep, type ProbeTarget } from './load-tools.js';

exitWithParent();
// Started with --expose-gc (probe-process.ts): the garbage of the last phase goes before the next one starts.
const collect = (globalThis as { gc?: () => void }).gc;
process.on('message', (m: { target: ProbeTarget; perSecond: number; seconds: number }) => {
  collect?.();
  void probe(m.target, m.perSecond, sleep(m.seconds * 1000)).then((probed) => process.send?.(probed));
});
process.send?.('ready');
