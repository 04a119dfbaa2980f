export { createTestApp } from './test-app.js';
export type { TestApp, TestAppOptions } from './test-app.js';
