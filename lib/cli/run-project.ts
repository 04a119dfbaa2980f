import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `kratos-ts run [dir]`: builds the project (npm run build), starts `dist/main.js`, and on every change
 * under src/, api/, configs/ or main.ts builds and restarts it. Ctrl-C stops it.
 */
export function runProject(dir = '.', log: (line: string) => void = console.log): Promise<number> {
  const root = resolve(dir);
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  const build = (): boolean => spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status === 0;
  const start = (): void => {
    child = spawn(process.execPath, [join(root, 'dist', 'main.js')], { cwd: root, stdio: 'inherit' });
  };
  const restart = async (): Promise<void> => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (build()) start();
    else log('build failed; waiting for the next change');
  };
  const watchers = ['src', 'api', 'configs', 'main.ts']
    .map((p) => join(root, p))
    .filter((p) => existsSync(p))
    .map((p) =>
      watch(p, { recursive: true }, () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          log('change detected: rebuilding');
          void restart();
        }, 300);
      }),
    );
  void restart();
  return new Promise((resolveExit) => {
    process.once('SIGINT', () => {
      for (const w of watchers) w.close();
      child?.kill('SIGTERM');
      resolveExit(0);
    });
  });
}
