// The banner printed before an interactive shell (not for exec): where you are and how
// to get tools. Facts that cannot change are read once at startup; uptime per session.
import { readFile } from 'node:fs/promises';
import { hostname, machine, release, type, uptime } from 'node:os';
import { join } from 'node:path';

export interface BannerFacts {
  hostname: string;
  model?: string;
  kernel: string;
  toolboxDir?: string;
  /** false: the toolbox would survive reboots on flash. */
  toolboxOnTmpfs?: boolean;
}

/** `3 days, 4:05` / `17 min` like uptime(1). */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const clock = hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}` : `${minutes} min`;
  if (days === 0) return clock;
  return `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

export function formatBanner(facts: BannerFacts, uptimeSeconds: number): string {
  const lines = [
    `breakglass: emergency shell on ${facts.hostname}${facts.model ? ` (${facts.model})` : ''}`,
    `  kernel:  ${facts.kernel}`,
    `  uptime:  ${formatUptime(uptimeSeconds)}`,
  ];
  if (facts.toolboxDir) {
    lines.push(`  toolbox: ${facts.toolboxDir} (upload: scp tools.tar HOST: or ssh HOST toolbox add < tools.tar)`);
    if (facts.toolboxOnTmpfs === false) {
      lines.push(`  warning: the toolbox is not on tmpfs; uploaded files persist on disk until removed (toolbox clear)`);
    }
  } else {
    lines.push('  toolbox: unavailable (see breakglassd log); built-in commands only');
  }
  lines.push('Type help for the built-in commands; exit or ^D leaves.');
  return `${lines.join('\n')}\n`;
}

async function readModel(procRoot: string, sysRoot: string): Promise<string | undefined> {
  for (const path of [join(procRoot, 'device-tree/model'), join(sysRoot, 'firmware/devicetree/base/model')]) {
    try {
      const text = (await readFile(path, 'latin1')).replace(/\0/g, '').trim();
      if (text) return text;
    } catch {
      // Not a device-tree machine (e.g. x86): no model line.
    }
  }
  return undefined;
}

export async function readBannerFacts(options: {
  procRoot: string;
  sysRoot: string;
  toolboxDir?: string;
  toolboxOnTmpfs?: boolean;
}): Promise<BannerFacts> {
  return {
    hostname: hostname(),
    model: await readModel(options.procRoot, options.sysRoot),
    kernel: `${type()} ${release()} ${machine()}`,
    toolboxDir: options.toolboxDir,
    toolboxOnTmpfs: options.toolboxOnTmpfs,
  };
}

export function bannerNow(facts: BannerFacts): string {
  return formatBanner(facts, uptime());
}
