// The web UI's HTML: an overview (services, state, last log line, start/stop buttons)
// and a per-service page with a live log view (EventSource on /log). Plain forms post
// to /restart and /stop with the XSRF token, so the buttons work without JavaScript;
// the script only refreshes state and streams logs. Everything dynamic is escaped.
import type { ServiceStatus } from './service.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageContext {
  hostname: string;
  goarch: string;
  xsrfToken: string;
  /** Per-response nonce for the inline style and script (Content-Security-Policy). */
  nonce: string;
}

const STYLE = `
:root { color-scheme: light; --fg:#1d2230; --muted:#6b7280; --line:#e5e7eb; --accent:#b91c1c; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:#f6f7f9; }
header { background:#1d2230; color:#fff; padding:14px 28px; display:flex; align-items:baseline; gap:16px; }
header h1 { margin:0; font-size:20px; font-weight:600; }
header h1 a { color:inherit; text-decoration:none; }
header .host { color:#cbd5e1; font-family:ui-monospace, monospace; }
main { padding:22px 28px; max-width:1200px; }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { text-align:left; padding:9px 12px; border-bottom:1px solid var(--line); vertical-align:middle; }
th { background:#f1f3f6; font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
td.path a { font-family:ui-monospace, monospace; color:var(--fg); font-weight:600; }
td.last { font-family:ui-monospace, monospace; font-size:13px; color:#374151; max-width:480px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.state { display:inline-block; padding:2px 9px; border-radius:999px; font-size:13px; font-weight:600; }
.state-running { background:#dcfce7; color:#166534; }
.state-stopped { background:#e5e7eb; color:#374151; }
.state-backoff, .state-stopping { background:#fef3c7; color:#92400e; }
form.inline { display:inline; margin:0 4px 0 0; }
button { font:inherit; font-size:14px; padding:4px 14px; border-radius:6px; border:1px solid #9ca3af; background:#fff; cursor:pointer; }
button.start { background:var(--accent); border-color:var(--accent); color:#fff; }
button:hover { filter:brightness(.95); }
.meta { display:flex; gap:28px; flex-wrap:wrap; margin:0 0 16px; color:var(--muted); }
.meta b { color:var(--fg); font-weight:600; }
.logs { display:grid; grid-template-columns:1fr; gap:16px; margin-top:18px; }
.logs h2 { font-size:14px; margin:0 0 6px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
pre.log { margin:0; background:#0f172a; color:#e2e8f0; padding:12px 14px; border-radius:8px; height:260px; overflow:auto; font-size:12.5px; white-space:pre-wrap; word-break:break-all; }
p.cmd code { display:block; font:12.5px/1.4 ui-monospace, monospace; color:#374151; background:#fff; border:1px solid var(--line); border-radius:6px; padding:6px 10px; max-height:4.5em; overflow:auto; white-space:pre-wrap; word-break:break-all; }
p.back { margin:0 0 4px; } p.back a { color:var(--muted); text-decoration:none; font-size:14px; }
p.hint { color:var(--muted); font-size:13px; }
`;

function layout(ctx: PageContext, title: string, body: string, script: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(ctx.hostname)}</title>
<style nonce="${ctx.nonce}">${STYLE}</style></head>
<body><header><h1><a href="/">breakglass-init</a></h1><span class="host">${escapeHtml(ctx.hostname)} · ${escapeHtml(ctx.goarch)}</span></header>
<main>${body}</main>
<script nonce="${ctx.nonce}">${script}</script></body></html>
`;
}

function stateBadge(status: ServiceStatus): string {
  return `<span class="state state-${status.State}" data-state="${status.State}">${status.State}</span>`;
}

function actionForms(ctx: PageContext, status: ServiceStatus): string {
  const hidden = `<input type="hidden" name="path" value="${escapeHtml(status.Path)}"><input type="hidden" name="xsrftoken" value="${escapeHtml(ctx.xsrfToken)}">`;
  const restart = status.Stopped
    ? `<form class="inline" method="post" action="/restart">${hidden}<button class="start" type="submit">start</button></form>`
    : `<form class="inline" method="post" action="/restart">${hidden}<button type="submit">restart</button></form>`;
  const stop = status.Stopped ? '' : `<form class="inline" method="post" action="/stop">${hidden}<button type="submit">stop</button></form>`;
  return restart + stop;
}

function statusHref(path: string): string {
  return `/status?path=${encodeURIComponent(path)}`;
}

// Refreshes state badges and last lines from the JSON API every 2 s.
const OVERVIEW_SCRIPT = `
async function refresh() {
  try {
    const res = await fetch('/', { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const data = await res.json();
    for (const s of data.Services) {
      const row = document.querySelector('tr[data-path="' + CSS.escape(s.Path) + '"]');
      if (!row) continue;
      const badge = row.querySelector('.state');
      if (badge.dataset.state !== s.State) { location.reload(); return; }
      row.querySelector('td.last').textContent = s.LastLine;
      row.querySelector('td.pid').textContent = s.Pid || '';
    }
  } catch (e) { /* device restarting; try again */ }
}
setInterval(refresh, 2000);
`;

export function overviewPage(ctx: PageContext, services: ServiceStatus[]): string {
  const rows = services
    .map(
      (s) => `<tr data-path="${escapeHtml(s.Path)}">
<td class="path"><a href="${escapeHtml(statusHref(s.Path))}">${escapeHtml(s.Path)}</a></td>
<td>${stateBadge(s)}</td><td class="pid">${s.Pid || ''}</td>
<td class="last" title="${escapeHtml(s.LastLine)}">${escapeHtml(s.LastLine)}</td>
<td class="actions">${actionForms(ctx, s)}</td></tr>`,
    )
    .join('\n');
  const body = `<table><thead><tr><th>Service</th><th>State</th><th>PID</th><th>Last log line</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">no services configured</td></tr>'}</tbody></table>
<p class="hint">Click a service for its live logs. The SSH server (/user/breakglass) stays stopped until you start it.</p>`;
  return layout(ctx, 'services', body, OVERVIEW_SCRIPT);
}

// Streams both rings with EventSource and keeps the state line current.
function statusScript(path: string): string {
  return `
const path = ${JSON.stringify(path).replace(/</g, '\\u003c')};
function follow(stream) {
  const pre = document.getElementById(stream);
  const es = new EventSource('/log?path=' + encodeURIComponent(path) + '&stream=' + stream);
  es.onmessage = (ev) => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(ev.data + '\\n');
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  es.onerror = () => { pre.dataset.disconnected = '1'; };
  es.onopen = () => { if (pre.dataset.disconnected) { pre.textContent = ''; delete pre.dataset.disconnected; } };
}
follow('stdout');
follow('stderr');
async function refresh() {
  try {
    const res = await fetch('/status?path=' + encodeURIComponent(path), { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const s = await res.json();
    const badge = document.querySelector('.state');
    if (badge.dataset.state !== s.State) { location.reload(); return; }
    document.getElementById('pid').textContent = s.Pid || '—';
  } catch (e) { /* try again */ }
}
setInterval(refresh, 2000);
`;
}

export function statusPage(ctx: PageContext, s: ServiceStatus): string {
  const exit = s.LastExit ? (s.LastExit.Signal ? `killed by ${s.LastExit.Signal}` : `status ${s.LastExit.Code ?? '?'}`) : '—';
  const body = `<p class="back"><a href="/">← all services</a></p><h2>${escapeHtml(s.Path)} ${stateBadge(s)}</h2>
<div class="meta"><span>PID <b id="pid">${s.Pid || '—'}</b></span>
<span>started <b>${escapeHtml(s.StartTime ?? '—')}</b></span><span>last exit <b>${escapeHtml(exit)}</b></span>
<span>restarts <b>${s.Restarts}</b></span></div>
<p class="cmd"><code>${escapeHtml(s.Args.join(' '))}</code></p>
<div>${actionForms(ctx, s)}</div>
<div class="logs"><section><h2>stderr</h2><pre class="log" id="stderr"></pre></section>
<section><h2>stdout</h2><pre class="log" id="stdout"></pre></section></div>`;
  return layout(ctx, s.Path, body, statusScript(s.Path));
}
