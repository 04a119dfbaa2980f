// What every bench server shares: its port, the proto, and a readiness line on stderr.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
export const PROTO = join(HERE, '..', 'proto', 'greeter.proto');
export const PORT = Number(process.env.PORT ?? 18100);
export const ADDR = `127.0.0.1:${PORT}`;
/** Where google/api/annotations.proto is, for proto-loader (protobufjs ships it). */
export const GOOGLE_PROTOS = dirname(createRequire(import.meta.url).resolve('protobufjs/package.json'));
/** Kratos-ts from the root build (npm run build). */
export const KRATOS = join(ROOT, 'dist', 'lib', 'index.js');
export const DECORATORS = join(ROOT, 'dist', 'decorators', 'index.js');

export function greet(name) {
  return { message: `Hello ${name}` };
}

export function* greetings(name, count) {
  for (let i = 0; i < count; i++) yield { message: `Hello ${name} ${i}` };
}

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
