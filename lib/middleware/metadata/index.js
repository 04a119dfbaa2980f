export { metadataServer, metadataClient } from './metadata.js';
