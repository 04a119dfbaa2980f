import { Session } from 'node:inspector/promises';

/**
 * Bytes allocated per call by the functions of the files whose URL contains `within`, counted with
 * V8's sampling heap profiler (a sample every `interval` bytes on average, collected objects
 * included): over many calls the estimate is close to the real figure, whatever the host's speed.
 * `run` makes one call; it is warmed up first so that optimized code is what gets counted.
 */
export async function bytesPerCall(run: () => unknown, within: readonly string[], calls = 20_000, interval = 64): Promise<{ total: number; byFunction: Map<string, number> }> {
  for (let i = 0; i < calls; i++) await run();
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', { samplingInterval: interval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (let i = 0; i < calls; i++) await run();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const byFunction = new Map<string, number>();
    let total = 0;
    type Node = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] };
    const walk = (node: Node): void => {
      const { url, functionName, lineNumber } = node.callFrame;
      if (node.selfSize > 0 && within.some((w) => url.includes(w))) {
        const name = `${functionName || '(anonymous)'} ${url.slice(url.lastIndexOf('/') + 1)}:${lineNumber + 1}`;
        byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize / calls);
        total += node.selfSize / calls;
      }
      for (const c of node.children) walk(c);
    };
    walk(profile.head as unknown as Node);
    return { total, byFunction };
  } finally {
    session.disconnect();
  }
}
