import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { generateCache } from '../codegen/index.js';
import { FrameworkError } from '../../errors/index.js';
import { flag, type Args } from './args.js';

/** `kratos-ts gen cache <file.ts> --type <Repo> [-o <out.ts>]`: a cache-aside wrapper of a repository. */
export function genCommand(args: Args): number {
  const [, what, file] = args.positionals;
  const type = flag(args, 'type') ?? flag(args, 't');
  if (what !== 'cache' || file === undefined || type === undefined) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'usage: kratos-ts gen cache <file.ts> --type <Repository> [-o <out.ts>]');
  }
  const source = readFileSync(file, 'utf8');
  const out = resolve(flag(args, 'o') ?? flag(args, 'out') ?? file.replace(/\.ts$/, '.cache.ts'));
  let importFrom = relative(dirname(out), resolve(file)).split('\\').join('/').replace(/\.ts$/, '.js');
  if (!importFrom.startsWith('.')) importFrom = `./${importFrom}`;
  const g = generateCache(source, type, { file: basename(file), importFrom });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, g.content);
  console.log(`wrote ${relative(process.cwd(), out)}`);
  return 0;
}
