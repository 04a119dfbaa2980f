import { bytesOf, protoString } from './descriptor-options.js';

// FieldDescriptorProto.Type numbers of the types whose defaults need more than String().
const TYPE_DOUBLE = 1;
const TYPE_FLOAT = 2;
const TYPE_STRING = 9;
const TYPE_BYTES = 12;

// printf's %.<precision>g, which protoc's SimpleDtoa uses.
function formatG(v: number, precision: number): string {
  const [mantissa, exp] = v.toExponential(precision - 1).split('e') as [string, string];
  const e = Number(exp);
  const trim = (t: string): string => (t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (e < -4 || e >= precision) return `${trim(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return trim(v.toFixed(Math.max(0, precision - 1 - e)));
}

// C-style escapes for a bytes default: printable ASCII kept, the rest as three octal digits.
function cEscape(bytes: Buffer): string {
  const named: Record<number, string> = { 10: '\\n', 13: '\\r', 9: '\\t', 34: '\\"', 39: "\\'", 92: '\\\\' };
  return [...bytes].map((b) => named[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`)).join('');
}

// protoc writes a field's default in text: enum value names, floats as SimpleDtoa (`1e-07`, `inf`),
// bytes C-escaped, strings as they are.
export function defaultText(v: unknown, type: number): string {
  if (typeof v === 'number' && (type === TYPE_DOUBLE || type === TYPE_FLOAT)) {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    const short = formatG(v, 15);
    return Number(short) === v ? short : formatG(v, 17);
  }
  if (type === TYPE_BYTES) return cEscape(bytesOf(String(v)));
  if (type === TYPE_STRING) return protoString(String(v));
  return String(v);
}
