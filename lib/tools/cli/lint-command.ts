import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { FrameworkError } from '../../errors/index.js';
import { findLintConfig, formatFinding, lintFile, protoFilesOf, readLintConfig, type Finding } from '../lint/index.js';
import { flag, type Args } from './args.js';

/** `kratos-ts proto lint <file|dir> [--format text|json] [--config file]`: exit 1 when any error is found. */
export function lintCommand(target: string, args: Args): number {
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `--format must be text or json, not '${format}'`);
  const explicit = flag(args, 'config');
  const start = statSync(target).isDirectory() ? target : dirname(target);
  const configFile = explicit === undefined ? findLintConfig(start) : resolve(explicit);
  const severities = configFile === undefined ? {} : readLintConfig(configFile);
  const findings: Finding[] = protoFilesOf(target).flatMap((file) => lintFile(file, severities));
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (format === 'json') console.log(JSON.stringify({ findings, errors, warnings: findings.length - errors }, null, 2));
  else {
    for (const f of findings) console.log(formatFinding(f));
    if (findings.length > 0) console.error(`${errors} error(s), ${findings.length - errors} warning(s)`);
  }
  return errors > 0 ? 1 : 0;
}
