// yaml, the one place it is imported. The build (scripts/bundle-vendor.mjs) turns the compiled file
// into one module of the same exports: the package's 70-odd CommonJS files cost some 30 ms at every
// start, and every app reads YAML configuration.
export { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
