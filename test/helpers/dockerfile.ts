import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/** One stage of a Dockerfile as this interpreter saw it. */
export interface Stage {
  name: string;
  image: string;
  /** The stage's WORKDIR on this machine (its root filesystem is a temporary directory). */
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  healthcheck: string[] | undefined;
  expose: string[];
}

// `["a", "b"]` (exec form) or `a b` (shell form, run through sh -c).
function commandOf(text: string): string[] {
  const t = text.trim();
  return t.startsWith('[') ? (JSON.parse(t) as string[]) : ['sh', '-c', t];
}

/**
 * Runs the build steps of a Dockerfile without a container engine: each stage's filesystem is a
 * directory under `root`, COPY copies from `context` (or `--from` a stage), RUN runs with sh in the
 * stage's WORKDIR, with `env` added (the image's own tools: this machine's node and npm). ARG
 * defaults are substituted; FROM images are recorded, not pulled. Throws on the first failing step,
 * naming it. CMD, HEALTHCHECK, USER and EXPOSE are returned for the caller to check and run.
 */
export function runDockerfile(file: string, context: string, root: string, env: NodeJS.ProcessEnv): Stage[] {
  const lines = readFileSync(file, 'utf8').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const sub = (s: string): string => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => args[(a ?? b) as string] ?? m);
  const fsOf = (stage: Stage): string => join(root, String(stages.indexOf(stage)));
  const at = (stage: Stage, path: string): string => join(fsOf(stage), posix.resolve(stage.workdir, path));
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\w+)\s+([\s\S]*)$/.exec(line) ?? [];
    const stage = stages.at(-1);
    if (op === 'ARG') {
      const [k = '', v = ''] = rest.split('=', 2);
      args[k] = v;
      continue;
    }
    if (op === 'FROM') {
      const [image = '', , name] = sub(rest).split(/\s+/);
      stages.push({ name: name ?? String(stages.length), image, workdir: '/', env: {}, user: undefined, cmd: undefined, healthcheck: undefined, expose: [] });
      mkdirSync(fsOf(stages.at(-1) as Stage), { recursive: true });
      continue;
    }
    if (stage === undefined) throw new Error(`Dockerfile: ${op} before FROM`);
    if (op === 'WORKDIR') {
      stage.workdir = posix.resolve(stage.workdir, rest);
      mkdirSync(at(stage, '.'), { recursive: true });
    } else if (op === 'ENV') {
      const [k = '', v = ''] = rest.split('=', 2);
      stage.env[k] = v;
    } else if (op === 'COPY') {
      const words = rest.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      const dest = paths.pop() as string;
      const source = from === undefined ? undefined : stages.find((s) => s.name === from);
      if (from !== undefined && source === undefined) throw new Error(`Dockerfile: COPY --from=${from}: no such stage`);
      for (const p of paths) {
        const src = source === undefined ? join(context, p) : at(source, p);
        if (!existsSync(src)) throw new Error(`Dockerfile: COPY ${p}: not in the ${source === undefined ? 'build context' : `stage ${from}`}`);
        const target = dest.endsWith('/') ? join(at(stage, dest), posix.basename(p)) : at(stage, dest);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(src, target, { recursive: true });
      }
    } else if (op === 'RUN') {
      const r = spawnSync('sh', ['-c', sub(rest)], { cwd: at(stage, '.'), env: { ...env, ...stage.env }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`Dockerfile: RUN ${rest} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    } else if (op === 'USER') stage.user = rest;
    else if (op === 'CMD') stage.cmd = commandOf(rest);
    else if (op === 'EXPOSE') stage.expose = rest.split(/\s+/);
    else if (op === 'HEALTHCHECK') stage.healthcheck = commandOf(rest.replace(/^(--\S+\s+)*CMD\s+/, ''));
    else if (op !== 'STOPSIGNAL' && op !== 'LABEL') throw new Error(`Dockerfile: ${op} is not understood by this check`);
  }
  return stages;
}

/** Where a stage's WORKDIR is on this machine. */
export function stageDir(root: string, stages: Stage[], stage: Stage): string {
  return join(root, String(stages.indexOf(stage)), stage.workdir);
}
