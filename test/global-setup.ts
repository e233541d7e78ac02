// Integration tests run the bundled programs exactly as a user would, so build once
// before any test file starts.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
