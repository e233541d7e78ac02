// Finds the device's web UI password and port the way gokrazy's tools do:
//   ~/gokrazy/HOST/config.json            Update.HTTPPassword, Update.HTTPPort, Update.Hostname
//   ~/.config/gokrazy/hosts/HOST/http-password.txt (and http-port.txt)
//   ~/.config/gokrazy/http-password.txt   (and http-port.txt)
// `--password-file` and `--http-port` override. File access is injected so the lookup
// order is tested without touching the real home directory.
import { z } from 'zod';
import { BreakglassError, UsageError } from '../common/index.js';

export interface DiscoveryEnv {
  home: string;
  /** $XDG_CONFIG_HOME, else ~/.config (Go's os.UserConfigDir). */
  configDir: string;
  /** $GOKRAZY_PARENT_DIR, else ~/gokrazy (gok's instance directory). */
  parentDir: string;
  /** Returns the file's text, or undefined when it does not exist. */
  readFile: (path: string) => Promise<string | undefined>;
}

export interface DiscoveryOptions {
  host: string;
  passwordFile?: string;
  httpPort?: number;
}

export interface DeviceAccess {
  /** Name or address the web UI and SSH are reached at. */
  hostname: string;
  httpPort: number;
  password: string;
  /** Where the password came from, for error messages ("check …"). */
  passwordSource: string;
}

const PortValue = z.union([z.number().int().min(1).max(65535), z.string().regex(/^\d{1,5}$/).transform(Number)]);

const InstanceConfig = z
  .object({
    Hostname: z.string().optional(),
    Update: z
      .object({
        Hostname: z.string().optional(),
        HTTPPassword: z.string().optional(),
        HTTPPort: PortValue.optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

type Instance = z.infer<typeof InstanceConfig>;

/** Instance names are directory names; refuse anything that would walk elsewhere. */
function safeName(host: string): boolean {
  return host !== '' && host !== '.' && host !== '..' && !host.includes('/') && !host.includes('\0');
}

async function readInstance(env: DiscoveryEnv, host: string): Promise<{ config: Instance; file: string } | undefined> {
  if (!safeName(host)) return undefined;
  const file = `${env.parentDir}/${host}/config.json`;
  const text = await env.readFile(file);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BreakglassError(`${file} is not valid JSON: ${(err as Error).message}`, { file }, { cause: err });
  }
  const parsed = InstanceConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BreakglassError(`${file}: ${issue.path.join('.')}: ${issue.message}`, { file });
  }
  return { config: parsed.data, file };
}

async function firstFile(env: DiscoveryEnv, files: string[]): Promise<{ text: string; file: string } | undefined> {
  for (const file of files) {
    const text = await env.readFile(file);
    if (text !== undefined && text.trim() !== '') return { text: text.trim(), file };
  }
  return undefined;
}

export async function discoverDevice(options: DiscoveryOptions, env: DiscoveryEnv): Promise<DeviceAccess> {
  const { host } = options;
  const instance = await readInstance(env, host);
  const hostname = instance?.config.Update?.Hostname || instance?.config.Hostname || host;
  const names = [...new Set([host, hostname])].filter(safeName);
  const hostFiles = (file: string): string[] => [...names.map((n) => `${env.configDir}/gokrazy/hosts/${n}/${file}`), `${env.configDir}/gokrazy/${file}`];

  let password: string | undefined;
  let passwordSource = '';
  if (options.passwordFile) {
    const text = await env.readFile(options.passwordFile);
    if (text === undefined) throw new UsageError(`--password-file: ${options.passwordFile} does not exist`);
    password = text.trim();
    passwordSource = options.passwordFile;
  } else if (instance?.config.Update?.HTTPPassword) {
    password = instance.config.Update.HTTPPassword;
    passwordSource = `${instance.file} (Update.HTTPPassword)`;
  } else {
    const found = await firstFile(env, hostFiles('http-password.txt'));
    if (found) {
      password = found.text;
      passwordSource = found.file;
    }
  }
  if (!password) {
    const looked = [`${env.parentDir}/${host}/config.json`, ...hostFiles('http-password.txt')].join(', ');
    throw new UsageError(`no web UI password for ${host}: looked in ${looked}; pass --password-file FILE`);
  }

  let httpPort = options.httpPort ?? instance?.config.Update?.HTTPPort;
  if (httpPort === undefined) {
    const found = await firstFile(env, hostFiles('http-port.txt'));
    if (found) {
      const port = PortValue.safeParse(found.text);
      if (!port.success) throw new BreakglassError(`${found.file}: ${JSON.stringify(found.text)} is not a port number`, { file: found.file });
      httpPort = port.data;
    }
  }
  return { hostname, httpPort: httpPort ?? 80, password, passwordSource };
}
