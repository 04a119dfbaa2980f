// Runs the OTLP collector stub (collector.mjs) on the load generator's core for the whole run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HERE } from './grpc-client.mjs';

export async function startCollector() {
  const proc = spawn('taskset', ['-c', '0', 'node', join(HERE, 'lib', 'collector.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    proc.once('exit', (code) => reject(new Error(`the collector stub exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill('SIGTERM') };
}

/** Export requests and bytes the stub has received so far. */
export async function collectorStats(collector) {
  return (await fetch(`${collector.url}/stats`)).json();
}
