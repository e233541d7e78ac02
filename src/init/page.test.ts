import { describe, expect, it } from 'vitest';
import { escapeHtml, overviewPage } from './page.js';
import type { ServiceStatus } from './service.js';

const status = (over: Partial<ServiceStatus>): ServiceStatus => ({
  Path: '/user/breakglass', Args: ['node', 'x'], Stopped: true, StartTime: null, Pid: 0, State: 'stopped',
  LastExit: null, LastLine: '', Restarts: 0, ...over,
});

describe('web UI page', () => {
  it('escapes log lines and paths', () => {
    expect(escapeHtml(`<script>"'&`)).toBe('&#60;script&#62;&#34;&#39;&#38;');
    const html = overviewPage({ hostname: 'pi', goarch: 'arm64', xsrfToken: 't.k', nonce: 'n' }, [status({ LastLine: '<img src=x onerror=alert(1)>' })]);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('offers start for a stopped service and restart/stop for a running one, each with the token', () => {
    const ctx = { hostname: 'pi', goarch: 'arm64', xsrfToken: 'tok.mac', nonce: 'n' };
    const stopped = overviewPage(ctx, [status({})]);
    expect(stopped).toContain('>start</button>');
    expect(stopped).not.toContain('>stop</button>');
    const running = overviewPage(ctx, [status({ Stopped: false, State: 'running', Pid: 12 })]);
    expect(running).toContain('>restart</button>');
    expect(running).toContain('action="/stop"');
    expect(running.match(/name="xsrftoken" value="tok.mac"/g)).toHaveLength(2);
  });
});
