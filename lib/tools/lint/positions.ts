/** Line and column (1-based) of a declaration in a .proto file. */
export interface Position {
  line: number;
  col: number;
}

/** Where each declaration of a file starts, and its comment directives. */
export interface SourceIndex {
  /** Keys: `package`, `message:A.B`, `field:A.B.name`, `enum:A.E`, `value:A.E.NAME`, `service:S`, `rpc:S.M`, `reserved:A.B`. */
  positions: Map<string, Position>;
  /** `// kratos-lint:...` comments: rule ids (or `all`) disabled per line, and for the whole file. */
  disabledLines: Map<number, Set<string>>;
  disabledFile: Set<string>;
  fields: FieldDecl[];
}

interface Token {
  text: string;
  line: number;
  col: number;
  /** Offset in the source. */
  at: number;
}

/** A field as written: which message, its name and number, and where the number is. */
export interface FieldDecl {
  message: string;
  name: string;
  number: number;
  numberAt: number;
  nameAt: number;
}

const DIRECTIVE = /kratos-lint:(disable-file|disable-next-line|disable-line)\s+([\w,\s-]+)/;

// Comments become spaces (positions stay right); directives in them are collected on the way.
function stripComments(source: string, onComment: (text: string, line: number, ownLine: boolean) => void): string {
  let out = '';
  let line = 1;
  let lineHasCode = false;
  for (let i = 0; i < source.length; ) {
    const c = source[i] as string;
    if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      const stop = end === -1 ? source.length : end + 1;
      out += source.slice(i, stop);
      lineHasCode = true;
      i = stop;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      onComment(source.slice(i, stop), line, !lineHasCode);
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      const text = source.slice(i, stop);
      onComment(text, line, !lineHasCode);
      out += text.replace(/[^\n]/g, ' ');
      line += text.split('\n').length - 1;
      i = stop;
    } else {
      if (c === '\n') {
        line++;
        lineHasCode = false;
      } else if (c.trim() !== '') lineHasCode = true;
      out += c;
      i++;
    }
  }
  return out;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_][\w.]*|\.[A-Za-z_][\w.]*|-?\d[\w.]*|\S/g;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  let lineIdx = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    while (lineIdx + 1 < lineStarts.length && (lineStarts[lineIdx + 1] as number) <= m.index) lineIdx++;
    tokens.push({ text: m[0], line: lineIdx + 1, col: m.index - (lineStarts[lineIdx] as number) + 1, at: m.index });
  }
  return tokens;
}

const SCOPES = new Set(['message', 'enum', 'service', 'oneof', 'extend']);
const LABELS = new Set(['repeated', 'optional', 'required']);

/** Finds where declarations start, with a token scan (protobufjs keeps no positions). */
export function indexSource(source: string): SourceIndex {
  const disabledLines = new Map<number, Set<string>>();
  const disabledFile = new Set<string>();
  const disable = (line: number, ids: string[]): void => {
    const set = disabledLines.get(line) ?? new Set<string>();
    for (const id of ids) set.add(id);
    disabledLines.set(line, set);
  };
  const nextLineOf = new Map<number, string[]>();
  const text = stripComments(source, (comment, line, ownLine) => {
    const m = DIRECTIVE.exec(comment);
    if (m === null) return;
    const ids = (m[2] as string).split(/[\s,]+/).filter((s) => s !== '' && s !== '--');
    if (m[1] === 'disable-file') for (const id of ids) disabledFile.add(id);
    else if (m[1] === 'disable-line' && !ownLine) disable(line, ids);
    else nextLineOf.set(line, ids);
  });
  const tokens = tokenize(text);
  // A disable-next-line applies to the next line that has code.
  const codeLines = [...new Set(tokens.map((t) => t.line))].sort((a, b) => a - b);
  for (const [line, ids] of nextLineOf) {
    const next = codeLines.find((l) => l > line);
    if (next !== undefined) disable(next, ids);
  }
  const positions = new Map<string, Position>();
  const fields: FieldDecl[] = [];
  const put = (key: string, t: Token): void => {
    if (!positions.has(key)) positions.set(key, { line: t.line, col: t.col });
  };
  const stack: { kind: string; name: string }[] = [];
  const path = (): string => stack.filter((s) => s.kind === 'message' || s.kind === 'enum').map((s) => s.name).join('.');
  const scope = (): string => stack[stack.length - 1]?.kind ?? 'file';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1];
    if (t.text === '}') {
      stack.pop();
    } else if (t.text === '{') {
      stack.push({ kind: 'block', name: '' });
    } else if (t.text === 'package' && scope() === 'file' && next !== undefined) {
      put('package', next);
    } else if (SCOPES.has(t.text) && next !== undefined && tokens[i + 2]?.text === '{' && scope() !== 'block') {
      const kind = t.text === 'oneof' ? 'oneof' : t.text;
      stack.push({ kind, name: next.text });
      if (kind === 'message' || kind === 'enum') put(`${kind}:${path()}`, next);
      else if (kind === 'service') put(`service:${next.text}`, next);
      i += 2;
    } else if (t.text === 'rpc' && next !== undefined && scope() === 'service') {
      put(`rpc:${stack[stack.length - 1]?.name}.${next.text}`, next);
    } else if (t.text === 'reserved' && (scope() === 'message' || scope() === 'enum')) {
      put(`reserved:${path()}`, t);
    } else if ((scope() === 'message' || scope() === 'oneof') && /^[A-Za-z_]/.test(t.text) && !SCOPES.has(t.text) && t.text !== 'option' && t.text !== 'reserved') {
      // [label] type name = number   |   map<K, V> name = number
      let j = LABELS.has(t.text) ? i + 1 : i;
      if (tokens[j]?.text === 'map') while (j < tokens.length && tokens[j]?.text !== '>') j++;
      const name = tokens[j + 1];
      if (name !== undefined && tokens[j + 2]?.text === '=') {
        put(`field:${path()}.${name.text}`, name);
        const num = tokens[j + 3];
        if (num !== undefined && /^\d+$/.test(num.text)) fields.push({ message: path(), name: name.text, number: Number(num.text), numberAt: num.at, nameAt: name.at });
        i = j + 2;
      }
    } else if (scope() === 'enum' && /^[A-Za-z_]/.test(t.text) && next?.text === '=' && t.text !== 'option') {
      put(`value:${path()}.${t.text}`, t);
    }
  }
  return { positions, disabledLines, disabledFile, fields };
}
