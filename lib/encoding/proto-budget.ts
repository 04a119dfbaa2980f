import protobuf from 'protobufjs';
import { Budget, type DecodeLimits } from './limits.js';

/** A message being scanned: its type (or, for a map entry, the type of its value) and where it ends. */
interface Frame {
  readonly type: protobuf.Type | undefined;
  readonly mapValue: protobuf.Type | undefined;
  readonly end: number;
}

const PACKED_WIDTH: Readonly<Record<string, number>> = { fixed64: 8, sfixed64: 8, double: 8, fixed32: 4, sfixed32: 4, float: 4 };

function messageOf(field: protobuf.Field | undefined): protobuf.Type | undefined {
  const t = field?.resolve().resolvedType;
  return t instanceof protobuf.Type ? t : undefined;
}

/**
 * Walks protobuf wire data of `type` without recursion and without building anything, charging
 * nested messages to the depth limit and repeated elements (packed ones counted one by one) to the
 * element limit, so a hostile body is refused before protobufjs decodes it recursively. Malformed
 * data ends the walk quietly: the decoder reports it with its own message.
 */
export function checkProtoBudget(type: protobuf.Type, data: Uint8Array, limits: DecodeLimits): void {
  const budget = new Budget(limits);
  const stack: Frame[] = [{ type, mapValue: undefined, end: data.length }];
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (pos >= data.length) return -1;
      const b = data[pos++] as number;
      // Lengths and tags fit in 32 bits; larger varints are only skipped.
      if (shift < 28) value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
      shift += 7;
      if (shift > 63) return -1;
    }
  };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (pos >= frame.end) {
      stack.pop();
      continue;
    }
    const tag = varint();
    if (tag < 0) return;
    const wire = tag & 7;
    const id = tag >>> 3;
    const field = frame.type?.fieldsById[id];
    if (field !== undefined && (field.repeated || field.map)) budget.elements();
    if (wire === 0) {
      if (varint() < 0) return;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint();
      if (len < 0 || pos + len > frame.end) return;
      const sub = frame.mapValue !== undefined ? (id === 2 ? frame.mapValue : undefined) : field?.map ? undefined : messageOf(field);
      if (sub !== undefined) {
        budget.depth(stack.length);
        stack.push({ type: sub, mapValue: undefined, end: pos + len });
        continue;
      }
      if (field?.map) {
        const value = messageOf(field);
        if (value !== undefined) {
          budget.depth(stack.length);
          stack.push({ type: undefined, mapValue: value, end: pos + len });
          continue;
        }
      } else if (field?.repeated) {
        countPacked(field, data, pos, pos + len, budget);
      }
      pos += len;
    } else {
      return;
    }
  }
}

/** A packed run holds one element per fixed-width slot or per varint (a byte without the high bit). */
function countPacked(field: protobuf.Field, data: Uint8Array, from: number, to: number, budget: Budget): void {
  if (field.type === 'string' || field.type === 'bytes') return;
  const width = PACKED_WIDTH[field.type];
  if (width !== undefined) {
    budget.elements(Math.floor((to - from) / width));
    return;
  }
  let n = 0;
  for (let i = from; i < to; i++) if (((data[i] as number) & 0x80) === 0) n++;
  budget.elements(n);
}
