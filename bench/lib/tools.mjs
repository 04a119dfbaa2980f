// The load generators come from Debian: wrk (HTTP), h2load from nghttp2-client (gRPC), taskset from util-linux.
import { spawnSync } from 'node:child_process';

const PACKAGES = { wrk: 'wrk', h2load: 'nghttp2-client', taskset: 'util-linux' };

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Installs what is missing when running as root on Debian; otherwise says what to install. */
export function ensureTools() {
  const missing = Object.keys(PACKAGES).filter((cmd) => !has(cmd));
  if (missing.length === 0) return;
  const pkgs = missing.map((cmd) => PACKAGES[cmd]);
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.error(`installing ${pkgs.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
    if (r.status === 0) return;
  }
  throw new Error(`the benchmark needs ${missing.join(', ')}: install the Debian packages ${pkgs.join(' ')}`);
}
