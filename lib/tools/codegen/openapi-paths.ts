import { toCamelPath } from './deps.js';

/** One `{...}` of an OpenAPI path and the request field it fills. */
export interface OpenApiPathParam {
  /** The OpenAPI parameter name: the field path, or a segment name (`shelf`) when the variable has a pattern. */
  name: string;
  /** The request field (camelCase path) the server binds, e.g. `name`, `book.name`. */
  field: string;
  /** The field's pattern when it has literals or wildcards, e.g. `shelves/STAR/books/STAR` (STAR is `*`). */
  pattern?: string;
  /** The field's value spelled with the OpenAPI parameters, e.g. `shelves/{shelf}/books/{book}`. */
  template?: string;
  /** Whether this parameter stands for `**`, which may span several segments (contain `/`). */
  multi: boolean;
}

// `shelves` -> `shelf`, `books` -> `book`, `categories` -> `category`: the resource a collection segment holds.
function singular(word: string): string {
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:l|r)ves$/.test(word)) return `${word.slice(0, -3)}f`;
  if (/(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The OpenAPI path of a google.api.http template, as gnostic's protoc-gen-openapi (Kratos' generator)
 * writes it: a variable with a pattern is spelled out segment by segment, each wildcard a parameter
 * named after the collection before it. `/v1/{name=shelves/STAR/books/STAR}` becomes
 * `/v1/shelves/{shelf}/books/{book}`, so templates that differ only in their patterns stay distinct
 * paths. Simple variables stay `{field}`; a custom verb stays a literal `:verb`.
 */
export function openApiPath(source: string): { path: string; params: OpenApiPathParam[] } {
  const params: OpenApiPathParam[] = [];
  const used = new Set<string>();
  const unique = (base: string): string => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}${i}`;
    used.add(name);
    return name;
  };
  const path = source.replace(/\{([^}=]+)(?:=([^}]*))?\}/g, (_, rawField: string, rawPattern: string | undefined) => {
    const field = toCamelPath(rawField.trim());
    const pattern = rawPattern?.trim();
    if (pattern === undefined || pattern === '*' || pattern === '**') {
      const name = unique(field);
      params.push({ name, field, multi: pattern === '**' });
      return `{${name}}`;
    }
    const own: OpenApiPathParam[] = [];
    let previous: string | undefined;
    const spelled = pattern.split('/').map((seg) => {
      if (seg !== '*' && seg !== '**') {
        previous = seg;
        return seg;
      }
      const name = unique(previous === undefined ? field.split('.').pop() as string : singular(previous));
      own.push({ name, field, pattern, multi: seg === '**' });
      previous = undefined;
      return `{${name}}`;
    }).join('/');
    for (const p of own) params.push({ ...p, template: spelled });
    return spelled;
  });
  return { path, params };
}
