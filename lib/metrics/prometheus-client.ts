// prom-client, the one place it is imported. The build (scripts/bundle-vendor.mjs) turns the compiled
// file into one module of the same exports: prom-client's 30-odd CommonJS files cost some 25 ms at
// every start. Its objects stay inside this folder (each meter has a private registry).
export { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
