// Type of ssh2's SFTP protocol module, imported directly so the VERSION hook in
// ssh2-adapter.ts patches the very class ssh2's server instantiates.
declare module 'ssh2/lib/protocol/SFTP.js' {
  const sftpModule: { SFTP: { prototype: { push(data: Buffer | null): unknown } } };
  export default sftpModule;
}
