import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileRegistry, fromBinary, type DescMessage, type DescService, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// googleapis as Google publishes them (npm google-proto-files), not our copies.
const googleapis = dirname(createRequire(import.meta.url).resolve('google-proto-files/package.json'));

/**
 * The descriptors of `files` as protoc (Debian protobuf-compiler) compiles them, loaded into
 * @bufbuild/protobuf: what the independent gRPC-Web client (connect) encodes and decodes with.
 * google/rpc/error_details.proto rides along so a peer can read ErrorInfo out of grpc-status-details-bin.
 */
export function peerRegistry(protoDir: string, files: string[]): FileRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-peer-'));
  const out = join(dir, 'set.pb');
  execFileSync('protoc', [
    '--include_imports',
    `--descriptor_set_out=${out}`,
    `-I${protoDir}`,
    `-I${googleapis}`,
    `-I${join(repo, 'lib', 'proto', 'include')}`,
    ...files,
    'google/rpc/error_details.proto',
    'google/rpc/status.proto',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  const bytes = readFileSync(out);
  rmSync(dir, { recursive: true, force: true });
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
}

export function serviceIn(registry: FileRegistry, name: string): DescService {
  const s = registry.getService(name);
  if (s === undefined) throw new Error(`no service ${name}`);
  return s;
}

export function messageIn(registry: FileRegistry, name: string): DescMessage {
  const m = registry.getMessage(name);
  if (m === undefined) throw new Error(`no message ${name}`);
  return m;
}

/** The repo path of a file, from dist/test/helpers. */
export function repoPath(...parts: string[]): string {
  return join(repo, ...parts);
}
