/**
 * The `/dashboard` page: one self-contained HTML document (inline CSS, inline script, SVG
 * charts drawn in the browser, no external assets) that polls `/api/observability/dashboard`.
 * All data is written with `textContent`, never as HTML, so error messages cannot inject markup.
 */
import { createHash } from 'node:crypto'

const STYLE = String.raw`
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;background:#f6f7f9;color:#1d2330}
header{display:flex;gap:16px;align-items:baseline;padding:14px 20px;background:#1d2330;color:#fff}
header h1{font-size:18px;margin:0}header span{opacity:.75}
main{padding:16px 20px;display:grid;gap:16px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px}
.tile,.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px}
.tile b{display:block;font-size:22px}.tile small{color:#5b6475}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
h2{font-size:15px;margin:0 0 8px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f4;font-variant-numeric:tabular-nums}
td.num,th.num{text-align:right}code{font-size:12px}
#banner{display:none;background:#fde8e8;color:#8a1c1c;padding:8px 20px}#banner.show{display:block}
.bad{color:#b42318}.good{color:#067647}.legend{font-size:12px;color:#5b6475}
svg text{font-size:11px;fill:#5b6475}
`

const SCRIPT = String.raw`
(function () {
  var NS = 'http://www.w3.org/2000/svg'
  var COLORS = { p50: '#7aa2f7', p95: '#2f5fd0', p99: '#142f7a', calls: '#9fb4d8', err: '#d92d20' }
  function $(id) { return document.getElementById(id) }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e }
  function svg(tag, attrs, text) { var e = document.createElementNS(NS, tag); for (var k in attrs) e.setAttribute(k, String(attrs[k])); if (text !== undefined) e.textContent = String(text); return e }
  function pct(x) { return (x * 100).toFixed(1) + '%' }
  function ms(x) { return x < 10 ? x.toFixed(2) : x.toFixed(1) }
  function row(cells, attrs) { var tr = el('tr'); cells.forEach(function (c) { tr.appendChild(c) }); for (var k in attrs || {}) tr.setAttribute(k, attrs[k]); return tr }
  function num(text) { return el('td', text, 'num') }
  function fill(id, rows) { var body = $(id); body.replaceChildren.apply(body, rows) }
  function tile(id, text, cls) { var t = $(id); t.textContent = text; t.className = cls || '' }

  function latencyChart(tools) {
    var box = $('latency-chart'); box.replaceChildren()
    var W = 480, H = 220, L = 44, B = 36, T = 10
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'latency per tool' })
    var max = Math.max.apply(null, [1].concat(tools.map(function (t) { return t.p99Ms })))
    for (var g = 0; g <= 4; g++) {
      var y = T + (H - T - B) * (1 - g / 4)
      s.appendChild(svg('line', { x1: L, x2: W, y1: y, y2: y, stroke: '#eef0f4' }))
      s.appendChild(svg('text', { x: L - 4, y: y + 4, 'text-anchor': 'end' }, ms(max * g / 4)))
    }
    var slot = (W - L) / Math.max(1, tools.length), bw = Math.min(22, slot / 4)
    tools.forEach(function (t, i) {
      ['p50', 'p95', 'p99'].forEach(function (k, j) {
        var v = t[k + 'Ms'], h = (H - T - B) * v / max
        var bar = svg('rect', { x: L + i * slot + slot / 2 - 1.5 * bw + j * bw, y: H - B - h, width: bw - 2, height: Math.max(0, h), fill: COLORS[k] })
        bar.appendChild(svg('title', {}, t.tool + ' ' + k + ' ' + ms(v) + ' ms'))
        s.appendChild(bar)
      })
      s.appendChild(svg('text', { x: L + i * slot + slot / 2, y: H - B + 16, 'text-anchor': 'middle' }, t.tool))
    })
    box.appendChild(s)
  }

  function seriesChart(series) {
    var box = $('series-chart'); box.replaceChildren()
    var W = 480, H = 220, L = 44, R = 44, B = 36, T = 10, n = Math.max(1, series.length)
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'calls and error rate over time' })
    var max = Math.max.apply(null, [1].concat(series.map(function (p) { return p.toolCalls })))
    var bw = (W - L - R) / n, pts = []
    series.forEach(function (p, i) {
      var h = (H - T - B) * p.toolCalls / max
      s.appendChild(svg('rect', { x: L + i * bw + 1, y: H - B - h, width: Math.max(1, bw - 2), height: h, fill: COLORS.calls }))
      var rate = p.toolCalls ? p.toolErrors / p.toolCalls : 0
      pts.push((L + i * bw + bw / 2).toFixed(1) + ',' + (T + (H - T - B) * (1 - rate)).toFixed(1))
    })
    s.appendChild(svg('polyline', { points: pts.join(' '), fill: 'none', stroke: COLORS.err, 'stroke-width': 2 }))
    s.appendChild(svg('text', { x: L - 4, y: T + 4, 'text-anchor': 'end' }, max))
    s.appendChild(svg('text', { x: W - R + 4, y: T + 4 }, '100%'))
    s.appendChild(svg('text', { x: W - R + 4, y: H - B }, '0%'))
    if (series.length) {
      s.appendChild(svg('text', { x: L, y: H - 8 }, series[0].at.slice(11, 19)))
      s.appendChild(svg('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }, series[series.length - 1].at.slice(11, 19)))
    }
    box.appendChild(s)
  }

  function render(d) {
    $('service').textContent = d.service + ' ' + d.version
    $('uptime').textContent = 'up ' + Math.round(d.uptimeSeconds) + ' s'
    $('updated').textContent = 'updated ' + d.generatedAt.slice(11, 19)
    tile('tool-rate', d.toolCalls.perSecond.toFixed(2) + '/s')
    tile('tool-total', String(d.toolCalls.total))
    tile('tool-errors', pct(d.toolCalls.errorRate), d.toolCalls.errorRate > 0 ? 'bad' : 'good')
    tile('http-rate', d.http.perSecond.toFixed(2) + '/s')
    tile('http-errors', pct(d.http.errorRate), d.http.errorRate > 0 ? 'bad' : 'good')
    tile('live-sessions', d.liveSessions === null ? 'n/a' : String(d.liveSessions))
    tile('readiness', d.readiness ? d.readiness.status : 'not checked', d.readiness && d.readiness.status !== 'ready' ? 'bad' : 'good')
    tile('dead-letters', String(d.alerts.deadLetters), d.alerts.deadLetters ? 'bad' : '')
    fill('tools', d.tools.map(function (t) {
      return row([el('td', t.tool), num(t.calls), num(t.errors), num(pct(t.errorRate)), num(ms(t.p50Ms)), num(ms(t.p95Ms)), num(ms(t.p99Ms)), num(ms(t.maxMs))], { 'data-tool': t.tool })
    }))
    fill('errors', d.recentErrors.map(function (e) {
      var id = el('td'); id.appendChild(el('code', e.requestId))
      return row([el('td', e.at.slice(11, 23)), id, el('td', e.where), el('td', e.code), el('td', e.message)], { 'data-request-id': e.requestId })
    }))
    fill('deployments', d.deployments.map(function (x) {
      return row([el('td', x.receivedAt.slice(11, 19)), el('td', x.type), el('td', x.name || ''), el('td', x.target || ''), el('td', x.url || '')])
    }))
    latencyChart(d.tools)
    seriesChart(d.series)
    document.body.setAttribute('data-loaded', 'true')
  }

  function load() {
    fetch('api/observability/dashboard', { headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('dashboard data answered ' + r.status); return r.json() })
      .then(function (d) { $('banner').className = ''; render(d) })
      .catch(function (e) { var b = $('banner'); b.textContent = String(e.message || e); b.className = 'show' })
  }
  load()
  setInterval(load, 5000)
})()
`

const BODY = String.raw`
<header><h1>Atoms MCP</h1><span id="service"></span><span id="uptime"></span><span id="updated"></span></header>
<div id="banner" role="alert"></div>
<main>
  <section class="tiles">
    <div class="tile"><small>tool calls</small><b id="tool-rate">-</b></div>
    <div class="tile"><small>calls in window</small><b id="tool-total">-</b></div>
    <div class="tile"><small>tool error rate</small><b id="tool-errors">-</b></div>
    <div class="tile"><small>HTTP requests</small><b id="http-rate">-</b></div>
    <div class="tile"><small>HTTP 5xx rate</small><b id="http-errors">-</b></div>
    <div class="tile"><small>live sessions</small><b id="live-sessions">-</b></div>
    <div class="tile"><small>readiness</small><b id="readiness">-</b></div>
    <div class="tile"><small>alert dead letters</small><b id="dead-letters">-</b></div>
  </section>
  <section class="charts">
    <div class="card"><h2>Latency per tool (ms)</h2><div id="latency-chart"></div>
      <div class="legend">bars: p50, p95, p99</div></div>
    <div class="card"><h2>Tool calls and error rate</h2><div id="series-chart"></div>
      <div class="legend">bars: calls per bucket (left axis); line: error rate (right axis)</div></div>
  </section>
  <section class="card"><h2>Tools</h2><table>
    <thead><tr><th>tool</th><th class="num">calls</th><th class="num">errors</th><th class="num">error rate</th>
    <th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th></tr></thead>
    <tbody id="tools"></tbody></table></section>
  <section class="card"><h2>Recent errors</h2><table>
    <thead><tr><th>time</th><th>request id</th><th>where</th><th>code</th><th>message</th></tr></thead>
    <tbody id="errors"></tbody></table></section>
  <section class="card"><h2>Deployments</h2><table>
    <thead><tr><th>received</th><th>event</th><th>project</th><th>target</th><th>url</th></tr></thead>
    <tbody id="deployments"></tbody></table></section>
</main>
`

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The Content-Security-Policy the page is served with: only its own inline code may run. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** The complete dashboard document. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Atoms MCP dashboard</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>${BODY}<script>${SCRIPT}</script></body></html>
`
