// The set of services and their shutdown: SIGTERM to every group, SIGKILL after the
// grace time (each Service enforces it), resolved when all have exited.
import type { ServiceConfig } from './config.js';
import { Service } from './service.js';
import type { ServiceOptions } from './service.js';

export class Supervisor {
  readonly services: Service[];

  constructor(configs: ServiceConfig[], options: ServiceOptions) {
    this.services = configs.map((config) => new Service(config, options));
  }

  find(path: string): Service | undefined {
    return this.services.find((service) => service.path === path);
  }

  /** The pids of the services' running processes (our only direct children). */
  childPids(): number[] {
    return this.services.flatMap((service) => (service.pid === undefined ? [] : [service.pid]));
  }

  boot(): void {
    for (const service of this.services) service.boot();
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.services.map((service) => service.stop('SIGTERM')));
  }
}
