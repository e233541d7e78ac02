// Public surface of src/transfer/sftp: the SFTP server over ssh2's SFTP stream.
export { serveSftp } from './server.js';
