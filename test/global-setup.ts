// Integration tests run the bundled programs exactly as a user would, so build once
// before any test file starts.
//
// Every test (and every program it starts: ssh, sshd, chromium) gets TMPDIR pointing
// at a directory of this run's own; afterwards that directory must be empty. A test
// that leaves a temporary file behind fails the run here, by name, instead of
// silently filling the machine's /tmp.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  // Short, under /tmp: Unix socket paths made inside it must stay below 108 bytes.
  const runTmp = mkdtempSync(join(tmpdir().length > 40 ? '/tmp' : tmpdir(), 'bg-test-'));
  process.env.TMPDIR = runTmp;
  return () => {
    const left = readdirSync(runTmp);
    rmSync(runTmp, { recursive: true, force: true });
    if (left.length === 0) return;
    // Throwing here is only logged by vitest; the exit code is what CI sees.
    console.error(`\nFAIL tests left ${left.length} entries in TMPDIR (tests clean up after themselves): ${left.sort().join(', ')}`);
    process.exitCode = 1;
  };
}
