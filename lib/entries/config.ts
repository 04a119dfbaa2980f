// `kratos-ts/config`: layered configuration and its sources.
export { Config, ConfigValue, configSection, ConfigSection, fileSource, envSource, memorySource, etcdSource } from '../config/index.js';
export type { ConfigSource, ConfigLayer, ConfigOptions, ConfigObserver, EtcdSourceOptions, FileSourceOptions, EnvSourceOptions } from '../config/index.js';
