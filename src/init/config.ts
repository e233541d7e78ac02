// breakglass-init's configuration file (DESIGN.md "breakglass-init"): JSON, validated
// with zod so that a bad field is named in the error (`config: services[0].command:
// expected array, received string`) and the program exits 2.
import { readFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { z } from 'zod';
import { parseListenSpec, UsageError, messageOf } from '../common/index.js';
import type { ListenSpec } from '../common/index.js';
import { errnoCode } from '../os/index.js';

const ServiceSchema = z
  .object({
    /** gokrazy's service name: the path of the program on the device, e.g. `/user/breakglass`. */
    path: z.string().regex(/^\/[\w./-]*$/, 'expected an absolute path such as /user/breakglass'),
    command: z.array(z.string().min(1)).min(1, 'expected at least the program to run'),
    env: z.record(z.string(), z.string()).default({}),
    /** Not started at boot; the web UI (or `svc restart`) starts it. */
    dontStart: z.boolean().default(false),
    cwd: z.string().optional(),
  })
  .strict();

const HttpSchema = z
  .object({
    listen: z.string().default('private'),
    allowPublic: z.boolean().default(false),
    port: z.number().int().min(0).max(65535).default(80),
    passwordFile: z.string().min(1).optional(),
    socket: z.string().min(1).default('/run/gokrazy-http.sock'),
  })
  .strict();

const ConfigSchema = z
  .object({
    hostname: z.string().min(1).optional(),
    http: HttpSchema.default({ listen: 'private', allowPublic: false, port: 80, socket: '/run/gokrazy-http.sock' }),
    services: z.array(ServiceSchema).default([]),
    /** How long services get between SIGTERM and SIGKILL when stopped or at shutdown. */
    stopGraceMs: z.number().int().min(0).max(600_000).default(5000),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.services.forEach((service, index) => {
      if (seen.has(service.path)) {
        ctx.addIssue({ code: 'custom', path: ['services', index, 'path'], message: `duplicate service path ${service.path}` });
      }
      seen.add(service.path);
    });
  });

export type ServiceConfig = z.infer<typeof ServiceSchema>;

export interface InitConfig {
  hostname: string;
  http: {
    listen: ListenSpec;
    port: number;
    /** Explicit file, or undefined for gokrazy's /perm then /etc lookup. */
    passwordFile?: string;
    socket: string;
  };
  services: ServiceConfig[];
  stopGraceMs: number;
}

/** `services[0].command` from zod's path array. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

/** Validates parsed JSON; throws UsageError naming the first bad field. */
export function parseConfig(raw: unknown, defaultHostname: string = osHostname()): InitConfig {
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const message = issue.message.replace(/^Invalid input: /, '');
    throw new UsageError(`config: ${formatIssuePath(issue.path)}: ${message}`);
  }
  const config = result.data;
  return {
    hostname: config.hostname ?? defaultHostname,
    http: {
      listen: parseListenSpec(config.http.listen, config.http.allowPublic, 'config: http.listen'),
      port: config.http.port,
      ...(config.http.passwordFile ? { passwordFile: config.http.passwordFile } : {}),
      socket: config.http.socket,
    },
    services: config.services,
    stopGraceMs: config.stopGraceMs,
  };
}

/** Reads and validates the config file; every failure is a UsageError (exit 2). */
export async function loadConfig(file: string): Promise<InitConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const hint = errnoCode(err) === 'ENOENT' ? ' (no such file)' : `: ${messageOf(err)}`;
    throw new UsageError(`config: cannot read ${file}${hint}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config: ${file} is not valid JSON: ${messageOf(err)}`, { cause: err });
  }
  return parseConfig(raw);
}
