// Go's GOARCH names for Node's process.arch: gokrazy's X-Gokrazy-GOARCH header carries
// them and clients substitute them into `debug-${GOARCH}.tar`.
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  riscv64: 'riscv64',
  ppc64: 'ppc64le',
  s390x: 's390x',
  mips: 'mips',
  mipsel: 'mipsle',
  loong64: 'loong64',
};

export function goarchOf(nodeArch: string = process.arch): string {
  return GOARCH[nodeArch] ?? nodeArch;
}
