export { generateClient } from './generate-client.js';
export type { GenerateClientOptions } from './generate-client.js';
export { generateServer } from './generate-server.js';
export type { GenerateServerOptions } from './generate-server.js';
export { protoTemplate } from './proto-template.js';
export type { GeneratedFile } from './generated-file.js';
export { generateCache, repositoryMethods } from './generate-cache.js';
export { generateBrowserClient } from './generate-browser-client.js';
