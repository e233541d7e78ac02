// Public surface of src/transfer/scp: the legacy scp protocol over an exec channel.
export { isScpCommand, runScpCommand } from './run.js';
