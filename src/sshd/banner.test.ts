import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBanner, formatUptime, readBannerFacts } from './banner.js';

const dir = mkdtempSync(join(tmpdir(), 'banner-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('banner', () => {
  it.each([
    [59, '0 min'],
    [17 * 60, '17 min'],
    [3 * 3600 + 5 * 60, '3:05'],
    [86400 + 60, '1 day, 1 min'],
    [3 * 86400 + 4 * 3600 + 5 * 60, '3 days, 4:05'],
  ])('formatUptime(%i) → %s', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
  });

  it('names host, model, kernel, uptime, toolbox and help; warns about a toolbox off tmpfs', () => {
    const text = formatBanner(
      { hostname: 'pi', model: 'Raspberry Pi 4 Model B', kernel: 'Linux 6.6 aarch64', toolboxDir: '/tmp/breakglass-x', toolboxOnTmpfs: false },
      3600,
    );
    expect(text).toContain('emergency shell on pi (Raspberry Pi 4 Model B)');
    expect(text).toContain('kernel:  Linux 6.6 aarch64');
    expect(text).toContain('uptime:  1:00');
    expect(text).toContain('toolbox: /tmp/breakglass-x');
    expect(text).toContain('not on tmpfs');
    expect(text).toMatch(/Type help/);
    expect(formatBanner({ hostname: 'pi', kernel: 'k', toolboxDir: '/t', toolboxOnTmpfs: true }, 1)).not.toContain('tmpfs');
  });

  it('reads the device-tree model (NUL-terminated) from an injected /proc', async () => {
    mkdirSync(join(dir, 'proc/device-tree'), { recursive: true });
    writeFileSync(join(dir, 'proc/device-tree/model'), 'Raspberry Pi 5 Model B Rev 1.0\0');
    const facts = await readBannerFacts({ procRoot: join(dir, 'proc'), sysRoot: join(dir, 'sys') });
    expect(facts.model).toBe('Raspberry Pi 5 Model B Rev 1.0');
    const none = await readBannerFacts({ procRoot: join(dir, 'nope'), sysRoot: join(dir, 'nope') });
    expect(none.model).toBeUndefined();
  });
});
