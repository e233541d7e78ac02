// The web UI client over breakglass-init's Unix socket: what `svc` and `logs` use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebUiClient } from '../../src/webui/index.js';
import { eventually, nodeService, startInit } from '../init/harness.js';
import type { InitHarness } from '../init/harness.js';

let init: InitHarness;
beforeAll(async () => {
  init = await startInit([
    nodeService('/user/quiet', "console.log('one line, then silence'); setInterval(() => {}, 1000);"),
    nodeService('/user/mute', 'setInterval(() => {}, 1000);'),
  ]);
});
afterAll(async () => {
  await init.stop();
});

describe('WebUiClient', () => {
  it('follows a quiet service\'s log longer than its request timeout, until aborted', async () => {
    const client = new WebUiClient({ kind: 'unix', socketPath: init.socket }, 300);
    const controller = new AbortController();
    const lines: string[] = [];
    await eventually(async () => (await init.http('GET', '/log?path=/user/quiet&stream=stdout')).body !== '');
    const reading = (async () => {
      for await (const line of client.logLines('/user/quiet', 'stdout', { follow: true, signal: controller.signal })) lines.push(line);
    })();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    controller.abort();
    await reading;
    expect(lines).toEqual(['one line, then silence']);
  });

  it('gets an answer at once for an empty log it follows', async () => {
    const client = new WebUiClient({ kind: 'unix', socketPath: init.socket }, 300);
    const controller = new AbortController();
    const reading = (async () => {
      for await (const line of client.logLines('/user/mute', 'stdout', { follow: true, signal: controller.signal })) throw new Error(`unexpected ${line}`);
    })();
    await new Promise((resolve) => setTimeout(resolve, 800));
    controller.abort();
    await reading;
  });

  it('times out a request that gets no answer', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const client = new WebUiClient({ kind: 'tcp', host: '127.0.0.1', port, password: 'x' }, 300);
    await expect(client.status('/user/x')).rejects.toThrow(`no answer from http://127.0.0.1:${port} within 300 ms`);
    silent.close();
  });
});
