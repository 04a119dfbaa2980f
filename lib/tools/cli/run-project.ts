import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** What `kratos-ts run` watches, relative to the project root; configs/ only restarts (no build needed). */
const BUILD_INPUTS = ['src', 'api', 'third_party', 'main.ts', 'tsconfig.json'];
const RESTART_INPUTS = ['configs'];
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SETTLE_MS = 200;
const KILL_AFTER_MS = 15_000;
const SECOND_SIGNAL_AFTER_MS = 1000;

// Should run itself die without a chance to forward anything (SIGKILL, a crash), the service sees its
// IPC channel to run close and stops as on SIGTERM. Only run's own child does this, not the cluster
// workers it may fork (they inherit the flag; their primary is their parent).
const RUN_PID_ENV = 'KRATOS_TS_RUN_PID';
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent(
  `if (process.env.${RUN_PID_ENV} === String(process.ppid)) { process.channel?.unref(); process.once('disconnect', () => process.kill(process.pid, 'SIGTERM')); }`,
)}`;

// Editor droppings and generated output do not count as changes.
const IGNORED = /(^|\/)(\.[^/]*|[^/]*~|[^/]*\.swp|4913)$/;

/** Sends `signal` to the process group led by `child` (the service and anything it forked). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((r) => {
    child.once('error', () => r(127));
    child.once('exit', (code, signal) => r(code ?? (signal === null ? 1 : 128 + signalNumber(signal))));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

/**
 * `kratos-ts run [dir]`: the development loop. Builds the project (npm run build) and starts
 * `dist/main.js` from the project root; a change under src/, api/, third_party/, main.ts or
 * tsconfig.json rebuilds and restarts it, a change under configs/ restarts it, and the file that
 * triggered it is printed. SIGINT, SIGTERM and SIGHUP are forwarded to the service; run exits with
 * the service's status once it has stopped. The service and the build run in process groups of their
 * own, and every group is gone before run returns, so nothing is left behind.
 */
export function runProject(dir = '.', log: (line: string) => void = console.log): Promise<number> {
  const root = resolve(dir);
  let service: ChildProcess | undefined;
  let build: ChildProcess | undefined;
  let stopping: NodeJS.Signals | undefined;
  let stoppingSince = 0;
  let timer: NodeJS.Timeout | undefined;
  let pending: { file: string; rebuild: boolean } | undefined;
  let cycle: Promise<void> = Promise.resolve();
  let resolveRun!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveRun = r));

  const runBuild = async (): Promise<boolean> => {
    build = spawn('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const code = await exited(build);
    build = undefined;
    return code === 0;
  };
  const startService = (): void => {
    const child = spawn(process.execPath, ['--import', ORPHAN_GUARD, join(root, 'dist', 'main.js')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
      env: { ...process.env, [RUN_PID_ENV]: String(process.pid) },
    });
    service = child;
    log(`kratos-ts run: started dist/main.js (pid ${child.pid})`);
    void exited(child).then((code) => {
      signalGroup(child, 'SIGKILL');
      if (service === child) service = undefined;
      if (stopping !== undefined) finish(code);
      else if (!restarting) log(`kratos-ts run: the service exited with status ${code}; waiting for a change`);
    });
  };
  let restarting = false;
  let built = false;
  const stopService = async (): Promise<void> => {
    const child = service;
    if (child === undefined) return;
    restarting = true;
    signalGroup(child, 'SIGTERM');
    const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_AFTER_MS);
    await exited(child);
    clearTimeout(kill);
    signalGroup(child, 'SIGKILL');
    restarting = false;
  };
  const cycleOnce = async (change: { file: string; rebuild: boolean } | undefined): Promise<void> => {
    if (stopping !== undefined) return;
    if (change !== undefined) log(`kratos-ts run: ${change.file} changed: ${change.rebuild ? 'rebuilding and restarting' : 'restarting'}`);
    await stopService();
    if (stopping !== undefined) return;
    // A config change alone needs no build, unless the last one failed (there is nothing current to start).
    if (change === undefined || change.rebuild || !built) {
      built = await runBuild();
      if (!built) {
        if (stopping === undefined) log('kratos-ts run: build failed; waiting for the next change');
        return;
      }
    }
    if (stopping === undefined) startService();
  };
  const schedule = (file: string, rebuild: boolean): void => {
    pending = { file, rebuild: rebuild || (pending?.rebuild ?? false) };
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      const change = pending;
      pending = undefined;
      cycle = cycle.then(() => cycleOnce(change));
    }, SETTLE_MS);
  };

  const watchers: FSWatcher[] = [];
  for (const [inputs, rebuild] of [[BUILD_INPUTS, true], [RESTART_INPUTS, false]] as const) {
    for (const input of inputs) {
      const path = join(root, input);
      if (!existsSync(path)) continue;
      watchers.push(
        watch(path, { recursive: true }, (_event, name) => {
          const file = relative(root, name === null || name === input ? path : join(path, name.toString())) || input;
          if (!IGNORED.test(file)) schedule(file, rebuild);
        }),
      );
    }
  }

  function finish(code: number): void {
    for (const s of FORWARDED) process.off(s, onSignal);
    resolveRun(code);
  }
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping !== undefined) {
      // A second signal stops waiting for a graceful stop. Ctrl-C under `npm run dev` arrives twice at
      // once (from the terminal and forwarded by npm), so only a later one counts.
      if (service !== undefined && Date.now() - stoppingSince > SECOND_SIGNAL_AFTER_MS) signalGroup(service, 'SIGKILL');
      return;
    }
    stopping = signal;
    stoppingSince = Date.now();
    if (timer !== undefined) clearTimeout(timer);
    for (const w of watchers) w.close();
    if (build !== undefined) signalGroup(build, 'SIGTERM');
    if (service !== undefined) signalGroup(service, signal);
    else void cycle.then(() => (service === undefined ? finish(128 + signalNumber(signal)) : undefined));
  }
  for (const s of FORWARDED) process.on(s, onSignal);
  cycle = cycleOnce(undefined);
  return done;
}
