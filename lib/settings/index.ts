export { address, boolean, bytes, custom, duration, Expected, list, mapOf, number, oneOf, text } from './kinds.js';
export type { Kind } from './kinds.js';
export { optionAt, pick, resolveSection, resolveSetting, settingOf } from './setting.js';
export type { ConfigReader, Resolved, Section, Setting, SettingSpec } from './setting.js';
export { configReference, REFERENCE_END, REFERENCE_START, withReference } from './reference.js';
