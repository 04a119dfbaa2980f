/** How much a finding matters: errors fail `proto lint`, warnings are printed only. */
export type Severity = 'error' | 'warning';

/** A lint rule: its id (used in output, config and disable comments), default severity and why it exists. */
export interface Rule {
  id: string;
  severity: Severity;
  rationale: string;
}

/** Every rule, in the order findings are explained in docs/proto-lint.md. */
export const RULES: readonly Rule[] = [
  { id: 'package-versioned', severity: 'error', rationale: 'A versioned package (x.v1) in a matching directory lets v2 live beside v1 without breaking clients.' },
  { id: 'pascal-case', severity: 'error', rationale: 'Messages, enums, services and rpcs in PascalCase read the same in every generated language.' },
  { id: 'field-snake-case', severity: 'error', rationale: 'lower_snake_case field names map cleanly to camelCase JSON and to each language.' },
  { id: 'enum-value-prefix', severity: 'error', rationale: 'UPPER_SNAKE values prefixed with the enum name cannot collide in the package scope (error reasons excepted: their names are the reasons).' },
  { id: 'enum-zero-unspecified', severity: 'error', rationale: 'The zero value is what an unset field reads as; naming it *_UNSPECIFIED keeps it from meaning something.' },
  { id: 'rpc-http-rule', severity: 'warning', rationale: 'An rpc without google.api.http is served on gRPC only; HTTP clients cannot reach it.' },
  { id: 'http-no-body', severity: 'error', rationale: 'GET and DELETE requests carry no body; proxies and caches drop it.' },
  { id: 'http-path-fields', severity: 'error', rationale: 'A path variable must name a request field, or it binds to nothing.' },
  { id: 'rpc-message-names', severity: 'error', rationale: '<Rpc>Request and <Rpc>Reply (or Response) make an rpc\'s messages obvious and free to evolve.' },
  { id: 'rpc-message-shared', severity: 'error', rationale: 'A message shared by two rpcs cannot change for one without changing the other.' },
  { id: 'field-number-unique', severity: 'error', rationale: 'Two fields with one number break the wire format.' },
  { id: 'field-number-gap', severity: 'warning', rationale: 'A missing field number usually means a deleted field that should be reserved so it is never reused.' },
  { id: 'field-number-reserved', severity: 'error', rationale: 'A reserved number or name was retired; reusing it corrupts old data and clients.' },
  { id: 'error-enum-default-code', severity: 'error', rationale: 'An error reason enum without errors.default_code makes errors with HTTP code 0.' },
  { id: 'comments', severity: 'warning', rationale: 'Services and rpcs are the API\'s documentation; generated clients and OpenAPI carry their comments.' },
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));
