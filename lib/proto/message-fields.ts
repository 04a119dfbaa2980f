import type protobuf from 'protobufjs';

/** The message type at a field path (JSON names) of `type`; undefined where the path leaves messages. */
export function messageTypeAt(type: protobuf.Type, path: readonly string[]): protobuf.Type | undefined {
  let t: protobuf.Type | undefined = type;
  for (const p of path) {
    const f: protobuf.Field | undefined = t?.fields[p]?.resolve();
    const r: protobuf.Type | protobuf.Enum | null | undefined = f?.resolvedType;
    t = r !== null && r !== undefined && 'fields' in r ? (r as protobuf.Type) : undefined;
  }
  return t;
}

/** The field at a field path (JSON names) of `type`, if it exists. */
export function fieldAtPath(type: protobuf.Type, path: readonly string[]): protobuf.Field | undefined {
  const parent = messageTypeAt(type, path.slice(0, -1));
  return parent?.fields[path[path.length - 1] as string];
}
