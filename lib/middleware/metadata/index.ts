export { metadataServer, metadataClient } from './metadata.js';
export type { MetadataServerOptions, MetadataClientOptions } from './metadata.js';
