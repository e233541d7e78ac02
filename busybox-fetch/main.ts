// Entry point of `busybox-fetch` (DESIGN.md "busybox-fetch"): builds debug-<goarch>.tar
// (a static busybox plus `sh -> busybox`) for `breakglass` to upload to the toolbox.
import { UsageError, formatHelp, parseFlags } from '../src/common/index.js';
import type { FlagSpec } from '../src/common/index.js';
import { VALID_ARCH_NAMES, lookupArch } from './arch.js';
import { fetchBusybox } from './fetch.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'arch', kind: 'string', valueName: 'ARCH',
    help: `target architecture, GOARCH or Debian name: ${VALID_ARCH_NAMES.join(', ')} (arm = Debian armhf, ARMv7; use armel for ARMv6 boards such as the Pi Zero)`,
  },
  { name: 'out', kind: 'string', valueName: 'FILE', help: 'where to write the tarball (default: debug-<goarch>.tar in the current directory)' },
  { name: 'deb', kind: 'string', valueName: 'FILE', help: 'take bin/busybox from this busybox-static .deb instead of downloading it' },
  { name: 'binary', kind: 'string', valueName: 'FILE', help: 'use this busybox binary as is (must be static, for ARCH)' },
];

const DESCRIPTION = `Writes a reproducible tarball holding a static busybox (mode 0755) and sh -> busybox,
for breakglass to upload into the device's toolbox, and prints its sha256.
By default the binary comes from Debian's busybox-static package for ARCH, fetched with
apt-get download (no multiarch setup needed: when the host's package lists lack ARCH,
they are fetched privately into a temp dir). The binary must be an ELF for ARCH with no
program interpreter (statically linked).`;

function usage(): string {
  return formatHelp('busybox-fetch --arch ARCH [--out FILE] [--deb FILE | --binary FILE]', DESCRIPTION, FLAGS);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, { maxPositionals: 0 });
  if (values.help) {
    process.stdout.write(usage());
    return 0;
  }
  const archName = values.arch as string | undefined;
  if (!archName) throw new UsageError('--arch is required (see --help)');
  const arch = lookupArch(archName);
  if (!arch) throw new UsageError(`unknown --arch ${JSON.stringify(archName)} (valid: ${VALID_ARCH_NAMES.join(', ')})`);
  const deb = values.deb as string | undefined;
  const binary = values.binary as string | undefined;
  if (deb && binary) throw new UsageError('--deb and --binary exclude each other');
  const out = (values.out as string | undefined) ?? `debug-${arch.goarch}.tar`;
  const result = await fetchBusybox({
    arch, out,
    ...(deb ? { deb } : {}),
    ...(binary ? { binary } : {}),
    log: (line) => process.stderr.write(`busybox-fetch: ${line}\n`),
  });
  process.stderr.write(`busybox-fetch: wrote ${result.out} (${result.bytes} bytes, busybox + sh for ${arch.goarch})\n`);
  process.stdout.write(`${result.sha256}  ${result.out}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`busybox-fetch: ${message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
