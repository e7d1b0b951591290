/**
 * Session layer benchmark: p50/p95 of the per-request session lookup (`authenticate`: token
 * lookup, expiry and risk checks, last-seen update) and of a token refresh through the
 * loopback Supabase-Auth-compatible token endpoint, on memory and on Redis; then the lookup
 * p95 on Redis before and after filling it with 100,000 live sessions (pipelined, bounded).
 *
 * Targets: lookup p95 <= 2 ms on Redis; refresh p95 <= 10 ms; lookup p95 with 100,000
 * sessions within 1.5x of the p95 before filling.
 *
 * Run: `npx tsx bench/sessions.ts [--sessions 100000] [--samples 2000]`. Redis at REDIS_URL or
 * 127.0.0.1:6379; every key it writes is under a unique prefix and deleted at the end.
 */
import type { SessionManager } from '../server/sessions/index.ts'
import type { SessionStore } from '../server/sessions/index.ts'
import type { TokenServer } from '../server/sessions/test/test-utils.ts'
import { randomBytes } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { GoTrueClient, MemoryStore, RedisStore, parseSessionConfig, tokenId } from '../server/sessions/index.ts'
import { REDIS_URL, clearPrefix, managerFor, meta, startTokenServer, testPrefix } from '../server/sessions/test/test-utils.ts'
import { percentile } from './stats.ts'

const TARGET_LOOKUP_P95_MS = 2
const TARGET_REFRESH_P95_MS = 10
const TARGET_FILL_RATIO = 1.5

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '100000' }, samples: { type: 'string', default: '2000' } } })
const FILL = Number(values.sessions)
const SAMPLES = Number(values.samples)
const CHUNK = 2000

interface Stats {
  p50: number
  p95: number
  n: number
}

function stats(samples: number[]): Stats {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), n: samples.length }
}

const fmt = (ms: number) => `${ms.toFixed(3)} ms`

async function time(n: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const start = performance.now()
    await run(i)
    out.push(performance.now() - start)
  }
  return out
}

/** Signs in `count` users once each and returns their access tokens. */
async function signIn(manager: SessionManager, tokens: TokenServer, count: number, label: string): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const user = tokens.addUser(`${label}-${i}-${randomBytes(3).toString('hex')}@bench.test`, 'pw')
    out.push((await manager.login({ email: user.email, password: 'pw' }, meta())).accessToken)
  }
  return out
}

async function lookups(manager: SessionManager, accessTokens: string[], n: number): Promise<Stats> {
  await time(200, (i) => manager.authenticate(accessTokens[i % accessTokens.length]!, meta()))
  return stats(await time(n, (i) => manager.authenticate(accessTokens[i % accessTokens.length]!, meta())))
}

async function refreshes(manager: SessionManager, tokens: TokenServer, n: number): Promise<Stats> {
  // Every issued token expires inside the refresh window, so each request refreshes once.
  tokens.expiresIn = 120
  const [first] = await signIn(manager, tokens, 1, 'refresh')
  let current = first!
  const run = async () => {
    const result = await manager.authenticate(current, meta())
    if (!result.rotated) throw new Error('benchmark expected a refresh on every request')
    current = result.accessToken
  }
  await time(20, run)
  const out = stats(await time(n, run))
  tokens.expiresIn = 3600
  return out
}

/** Writes `count` sessions straight into the store, `CHUNK` in flight at a time (auto-pipelined). */
async function fill(store: SessionStore, count: number): Promise<number> {
  const c = parseSessionConfig()
  const now = Date.now()
  const start = performance.now()
  for (let base = 0; base < count; base += CHUNK) {
    const batch = []
    for (let i = base; i < Math.min(count, base + CHUNK); i++) {
      const access = randomBytes(300).toString('base64url')
      batch.push(store.createSession({
        id: `fill-${i}`, userId: `fill-user-${Math.floor(i / 5)}`, email: null, device: `fill-device-${i}`, ip: '198.51.100.1',
        createdAt: now, lastSeenAt: now, accessToken: access, refreshToken: randomBytes(16).toString('base64url'),
        accessExpiresAt: now + 3_600_000, tokenId: tokenId(access), prevTokenId: null, rotatedAt: null, mcpSessionId: null,
        location: null, locationAt: null, refreshCount: 0, challengeFailures: 0,
      }, { maxPerUser: 5, ttlMs: c.idleTimeoutMs + 600_000, deadline: now + c.idleTimeoutMs, tokenTtlMs: c.absoluteTimeoutMs, tombstoneTtlMs: c.tombstoneTtlMs }))
    }
    await Promise.all(batch)
  }
  return performance.now() - start
}

function row(name: string, s: Stats, target?: number): string {
  const verdict = target === undefined ? '' : s.p95 <= target ? `  ok (target p95 <= ${target} ms)` : `  MISSED (target p95 <= ${target} ms)`
  return `${name.padEnd(34)} p50 ${fmt(s.p50).padStart(10)}   p95 ${fmt(s.p95).padStart(10)}   n=${s.n}${verdict}`
}

async function main(): Promise<void> {
  const tokens = await startTokenServer()
  const prefix = testPrefix('bench')
  const redis = new Redis(REDIS_URL)
  const filler = new Redis(REDIS_URL, { enableAutoPipelining: true })
  const lines: string[] = []
  try {
    // Percentiles on a shared machine are only comparable with the load they were taken under.
    console.log(`session benchmark: ${SAMPLES} samples per figure, fill ${FILL.toLocaleString('en')} sessions; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`)
    // Baseline: the token endpoint alone (HTTP + signing), which every refresh below includes.
    const raw = new GoTrueClient({ url: tokens.url, apiKey: tokens.apiKey })
    const rawUser = tokens.addUser(`raw-${randomBytes(3).toString('hex')}@bench.test`, 'pw')
    let pair = await raw.password(rawUser.email, 'pw')
    const rawRefresh = async () => { pair = await raw.refresh(pair.refreshToken) }
    await time(20, rawRefresh)
    lines.push(row('token endpoint alone (baseline)', stats(await time(Math.min(SAMPLES, 500), rawRefresh))))
    const memory = managerFor(new MemoryStore(), tokens)
    const memTokens = await signIn(memory, tokens, 20, 'mem')
    lines.push(row('memory  lookup (authenticate)', await lookups(memory, memTokens, SAMPLES)))
    lines.push(row('memory  refresh (loopback GoTrue)', await refreshes(memory, tokens, Math.min(SAMPLES, 500)), TARGET_REFRESH_P95_MS))

    const store = new RedisStore({ prefix, client: redis })
    const onRedis = managerFor(store, tokens)
    const redisTokens = await signIn(onRedis, tokens, 20, 'redis')
    const before = await lookups(onRedis, redisTokens, SAMPLES)
    lines.push(row('redis   lookup (authenticate)', before, TARGET_LOOKUP_P95_MS))
    const ids = redisTokens.map(tokenId)
    lines.push(row('redis   raw token lookup (1 script)', stats(await time(SAMPLES, (i) => store.lookupToken(ids[i % ids.length]!)))))
    lines.push(row('redis   refresh (loopback GoTrue)', await refreshes(onRedis, tokens, Math.min(SAMPLES, 500)), TARGET_REFRESH_P95_MS))
    for (const line of lines) console.log(line)

    const fillMs = await fill(new RedisStore({ prefix, client: filler }), FILL)
    const live = await store.countSessions()
    console.log(`filled ${FILL.toLocaleString('en')} sessions in ${(fillMs / 1000).toFixed(1)} s (${Math.round(FILL / (fillMs / 1000)).toLocaleString('en')}/s); ${live.toLocaleString('en')} live in Redis`)
    const again = await lookups(onRedis, redisTokens, SAMPLES)
    const after = row(`redis   lookup with ${live.toLocaleString('en')} live`, again, TARGET_LOOKUP_P95_MS)
    const ratio = again.p95 / before.p95
    console.log(after)
    console.log(`p95 ratio after/before fill: ${ratio.toFixed(2)}x  ${ratio <= TARGET_FILL_RATIO ? 'ok' : 'MISSED'} (target <= ${TARGET_FILL_RATIO}x); load average now ${loadavg()[0]!.toFixed(1)}`)
  } finally {
    const removed = await clearPrefix(redis, prefix)
    console.log(`cleaned up ${removed.toLocaleString('en')} keys under ${prefix}`)
    redis.disconnect()
    filler.disconnect()
    await tokens.close()
  }
}

// A closed pipe (`| head`) must not skip the key cleanup in main's finally.
process.stdout.on('error', () => {})
await main()
