export { Metadata } from './metadata.js';
