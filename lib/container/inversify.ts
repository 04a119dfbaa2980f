// inversify, the one place it is imported. Its packages ship some 250 ES modules that Node would resolve,
// read and link one by one at every start (about 170 ms here); the build (scripts/bundle-vendor.mjs)
// replaces the compiled file with one bundled module of the same exports. Nothing else may import
// inversify, or the app would hold two copies.
export { Container } from 'inversify';
export type { ResolvedValueInjectOptions } from 'inversify';
