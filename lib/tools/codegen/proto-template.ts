import { FrameworkError } from './deps.js';
import { upperFirst } from './names.js';

/** `user_profile` -> `UserProfile`. */
function pascal(s: string): string {
  return s.split(/[_-]/).filter((w) => w !== '').map(upperFirst).join('');
}

/**
 * `kratos-ts proto add api/x/v1/demo.proto`: a proto to start from. The package comes from the
 * directories (`api/x/v1` -> `x.v1`, a leading `api/` dropped as kratos-layout keeps protos there),
 * the service from the file name (`demo` -> `Demo`), with Create/Update/Delete/Get/List rpcs bound
 * to REST routes on `/v1/<name>s` and their Request/Reply messages.
 */
export function protoTemplate(protoPath: string): string {
  const parts = protoPath.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  const file = parts.pop() ?? '';
  if (!file.endsWith('.proto') || file === '.proto') {
    throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${protoPath}: a proto file name must end in .proto`);
  }
  const dirs = parts[0] === 'api' ? parts.slice(1) : parts;
  const bad = dirs.find((d) => !/^[a-z_][a-z0-9_]*$/i.test(d));
  if (bad !== undefined) throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${protoPath}: '${bad}' cannot be part of a proto package name`);
  const base = file.slice(0, -'.proto'.length);
  const svc = pascal(base);
  if (!/^[A-Za-z]\w*$/.test(svc)) throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${protoPath}: '${base}' cannot name a proto service`);
  const route = `/v1/${base.toLowerCase().replace(/-/g, '_')}s`;
  const what: Record<string, string> = { Create: 'Creates a', Update: 'Updates a', Delete: 'Deletes a', Get: 'Gets a', List: 'Lists' };
  const rpc = (verb: string, http: string[]): string[] => [
    `  // ${what[verb] ?? verb} ${verb === 'List' ? `${svc.toLowerCase()}s` : svc.toLowerCase()}.`,
    `  rpc ${verb}${svc} (${verb}${svc}Request) returns (${verb}${svc}Reply) {`,
    '    option (google.api.http) = {',
    ...http.map((h) => `      ${h}`),
    '    };',
    '  }',
  ];
  const messages = ['Create', 'Update', 'Delete', 'Get', 'List'].flatMap((v) => {
    // Update, Delete and Get address one resource by the `{id}` of their routes.
    const request = v === 'Create' || v === 'List' ? [`message ${v}${svc}Request {}`] : [`message ${v}${svc}Request {`, '  string id = 1;', '}'];
    return [...request, '', `message ${v}${svc}Reply {}`, ''];
  });
  const lines = [
    'syntax = "proto3";',
    '',
    ...(dirs.length > 0 ? [`package ${dirs.join('.')};`, ''] : []),
    'import "google/api/annotations.proto";',
    '',
    `// The ${svc} API (create, read, update, delete and list).`,
    `service ${svc} {`,
    ...rpc('Create', [`post: "${route}"`, 'body: "*"']),
    ...rpc('Update', [`put: "${route}/{id}"`, 'body: "*"']),
    ...rpc('Delete', [`delete: "${route}/{id}"`]),
    ...rpc('Get', [`get: "${route}/{id}"`]),
    ...rpc('List', [`get: "${route}"`]),
    '}',
    '',
    ...messages,
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
