/**
 * The dashboard page in real headless Chromium (Debian's `chromium`, driven by playwright-core):
 * it loads under its own CSP, renders the figures of known tool calls, draws its SVG charts and
 * a screenshot is written. Without the browser the test is skipped with the install command (so
 * `npm install && npm test` holds on a fresh machine); CI installs it and sets
 * `ATOMS_REQUIRE_CHROMIUM=1`, which turns a missing browser into a failure.
 */
import type { Browser } from 'playwright-core'
import type { ToolCall } from '../../http/types.ts'
import type { DashboardData, Observability } from '../index.ts'
import type { Served } from './test-utils.ts'

import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { compose } from '../../http/types.ts'
import { createObservability } from '../index.ts'
import { captureLog, serveFetch } from './test-utils.ts'

const CHROMIUM = '/usr/bin/chromium'
const HAVE_CHROMIUM = existsSync(CHROMIUM)
const MISSING = `"${CHROMIUM}" is not installed; install it with "apt-get install -y chromium" (.ci/run does)`
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let obs: Observability
let server: Served
let browser: Browser
let dir: string

beforeAll(async () => {
  if (!HAVE_CHROMIUM) {
    if (process.env.ATOMS_REQUIRE_CHROMIUM === '1') throw new Error(MISSING)
    return
  }
  obs = createObservability({ version: '1.0.0-test', logger: { destination: captureLog().stream }, liveSessions: () => 4, metrics: { defaultMetrics: false } })
  const invoke = obs.wrapTool(async (call: ToolCall) => {
    await sleep(Number(call.args.sleepMs ?? 0))
    if (call.args.fail) return { isError: true, content: [{ type: 'text', text: 'denied' }], structuredContent: { error: { code: 'FORBIDDEN', message: `row-level security denied <b>"documents"</b>` } } }
    return { content: [{ type: 'text', text: '{}' }], structuredContent: {} }
  })
  // Known calls: entity 3 (one FORBIDDEN), query 2 slow ones, workspace 1.
  const ctx = (requestId: string) => ({ requestId, ip: '127.0.0.1' })
  await invoke({ tool: 'entity', operation: 'read_entity', args: {} }, ctx('dash-1'))
  await invoke({ tool: 'entity', operation: 'list_entities', args: {} }, ctx('dash-2'))
  await invoke({ tool: 'entity', operation: 'update_entity', args: { fail: true } }, ctx('dash-err-1'))
  await invoke({ tool: 'query', operation: 'query_entities', args: { sleepMs: 40 } }, ctx('dash-3'))
  await invoke({ tool: 'query', operation: 'export_results', args: { sleepMs: 60 } }, ctx('dash-4'))
  await invoke({ tool: 'workspace', operation: 'list_workspaces', args: {} }, ctx('dash-5'))
  await obs.health.ready()
  server = await serveFetch(compose(async (request, c) => (obs.handles(request) ? obs.routes(request, c) : new Response('no', { status: 404 })), obs.middleware))
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  dir = await mkdtemp(join(tmpdir(), 'atoms-dashboard-'))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await obs?.close()
  if (dir && !process.env.ATOMS_KEEP_SCREENSHOTS) await rm(dir, { recursive: true, force: true })
})

test('the dashboard renders the known calls, its charts and a screenshot', async (context) => {
  if (!HAVE_CHROMIUM) context.skip(MISSING)
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) problems.push(`external request ${r.url()}`) })

  await page.goto(`${server.url}/dashboard`)
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 })
  const data = (await (await fetch(`${server.url}/api/observability/dashboard`)).json()) as DashboardData

  const rows = await page.$$eval('#tools tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
  expect(rows.map((r) => r.slice(0, 4))).toEqual([
    ['entity', '3', '1', '33.3%'],
    ['query', '2', '0', '0.0%'],
    ['workspace', '1', '0', '0.0%'],
  ])
  const query = data.tools.find((t) => t.tool === 'query')!
  expect(query.p50Ms).toBeGreaterThanOrEqual(38)
  expect(query.p99Ms).toBeGreaterThanOrEqual(58)
  expect(Number(rows[1]![4])).toBeCloseTo(query.p50Ms, 0)
  expect(Number(rows[1]![6])).toBeCloseTo(query.p99Ms, 0)

  expect(await page.textContent('#tool-total')).toBe('6')
  expect(await page.textContent('#tool-errors')).toBe('16.7%')
  expect(await page.textContent('#live-sessions')).toBe('4')
  expect(await page.textContent('#readiness')).toBe('ready')
  expect(await page.textContent('#service')).toBe('atoms-mcp 1.0.0-test')

  const errors = await page.$$eval('#errors tr', (trs) => trs.map((tr) => [tr.getAttribute('data-request-id'), ...[...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent)]))
  expect(errors).toEqual([['dash-err-1', 'entity.update_entity', 'FORBIDDEN', 'row-level security denied <b>"documents"</b>']])
  // the message was written as text, not markup
  expect(await page.$$('#errors b')).toHaveLength(0)

  expect(await page.$$('#latency-chart svg rect')).toHaveLength(9)
  expect(await page.$$('#series-chart svg polyline')).toHaveLength(1)
  expect(problems).toEqual([])

  const file = join(dir, 'dashboard.png')
  await page.screenshot({ path: file, fullPage: true })
  const png = await readFile(file)
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  expect(png.length).toBeGreaterThan(20_000)
  if (process.env.ATOMS_KEEP_SCREENSHOTS) console.log(`dashboard screenshot: ${file}`)
  await page.close()
})
