export { token, tokenName } from './token.js';
export { AppContainer } from './app-container.js';
