import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** protoc (Debian protobuf-compiler), the oracle for descriptors; CI installs it through .ci/run. */
export function protocAvailable(): boolean {
  return spawnSync('protoc', ['--version']).status === 0;
}

/** A FileDescriptorSet holding `files` (serialized FileDescriptorProtos), as protoc writes one. */
export function descriptorSet(files: Iterable<Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const len: number[] = [];
    let n = f.length;
    do {
      len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    parts.push(Buffer.from([0x0a, ...len]), f);
  }
  return Buffer.concat(parts);
}

/** What protoc itself writes for `entries` with `--include_imports` (no source info). */
export function protocDescriptorSet(includeDirs: string[], entries: string[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'protoc-'));
  try {
    const out = join(dir, 'set.pb');
    execFileSync('protoc', [...includeDirs.map((d) => `-I${d}`), '--include_imports', `--descriptor_set_out=${out}`, ...entries]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each file of a FileDescriptorSet in protoc's text format, decoded by protoc with `protos` loaded
 * so option extensions print by name (`[google.api.http] { ... }`), keyed by file name.
 */
export function protocDecodeFiles(includeDirs: string[], protos: string[], set: Buffer): Map<string, string> {
  const text = execFileSync('protoc', [...includeDirs.map((d) => `-I${d}`), '--decode=google.protobuf.FileDescriptorSet', 'google/protobuf/descriptor.proto', ...protos], { input: set, maxBuffer: 64 << 20 }).toString();
  const files = new Map<string, string>();
  for (const block of text.split(/^file \{\n/m).slice(1)) files.set(/^ {2}name: "([^"]+)"/m.exec(block)?.[1] ?? '', block);
  return files;
}
