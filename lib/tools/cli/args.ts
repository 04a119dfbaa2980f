/** Command-line arguments: positionals and `--flag value` / `-f value` / `--flag` options. */
export interface Args {
  positionals: string[];
  flags: Map<string, string | true>;
  /** Every value of each flag, in order (`-I a -I b`); protoc's glued `-Ia` counts as `-I a`. */
  lists: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[]): Args {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    flags.set(k, v);
    lists.set(k, [...(lists.get(k) ?? []), v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    if (/^-I[^-=]/.test(a)) {
      add('I', a.slice(2));
      continue;
    }
    const [key, inline] = a.replace(/^--?/, '').split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) add(key, inline);
    else if (next !== undefined && !next.startsWith('-')) {
      add(key, next);
      i++;
    } else flags.set(key, true);
  }
  return { positionals, flags, lists };
}

export function flag(args: Args, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = args.flags.get(n);
    if (typeof v === 'string') return v;
  }
  return undefined;
}
