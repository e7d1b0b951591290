/**
 * Overhead of the Supabase emulator on a supabase-js `select` by primary key.
 *
 * The same row is read (a) through supabase-js and the msw handlers (dry), (b) through supabase-js
 * and the emulator on loopback HTTP (cold), and (c) with the same query straight through the
 * executor: the very statement the emulator sends for that request (captured from it once), run
 * through `asRole()` with the caller's role and claims, as it must be for Postgres to apply RLS.
 * For reference: (c₀) a bare `select … where id = $1` as the superuser (no role switch, no RLS,
 * no JSON body), and (a″) supabase-js with `emulatorFetch` (the emulator as the client's own fetch,
 * no msw), which shows what msw's frame handling costs. Rounds alternate the paths (msw only
 * listens during its own turn, since it would intercept the loopback requests too) so load drift
 * hits all of them alike.
 *
 * Target: a/c and b/c ≤ 3 on PGlite.
 * Run: npx tsx bench/emulator.ts [--postgres] [--calls N]
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { DbRole, JwtClaims, SqlExecutor, SqlSession } from '../harness/sql/index.ts'
import type { EngineName } from '../harness/testing/index.ts'
import { createClient } from '@supabase/supabase-js'
import { cpus, loadavg } from 'node:os'
import { createEmulator, emulatorFetch, serveEmulator, startMsw } from '../harness/emulator/index.ts'
import { openEngine } from '../harness/testing/index.ts'
import { median, percentile } from './stats.ts'

const args = process.argv.slice(2)
const CALLS = Number(args[args.indexOf('--calls') + 1]) || 2_000
const ROUNDS = 10
const WARMUP = 200
const ROWS = 1_000
const TARGET = 3
const ORIGIN = 'http://bench.emulator.invalid'
const BARE_SQL = 'select id, name, score, tags from bench_items where id = $1'

/** The statement the emulator ran for one request, with the role and claims it ran under. */
interface CapturedStatement {
  role: DbRole
  claims: JwtClaims | null
  sql: string
  params: unknown[]
}

/** Runs `request` once and returns the (single) statement the emulator sent through `asRole`. */
async function captureStatement(db: SqlExecutor, request: () => Promise<void>): Promise<CapturedStatement> {
  const original = db.asRole
  const bound = original.bind(db)
  let captured: CapturedStatement | undefined
  db.asRole = <T>(role: DbRole, claims: JwtClaims | null, fn: (tx: SqlSession) => Promise<T>): Promise<T> =>
    bound(role, claims, (tx) => {
      const recording: SqlSession = Object.create(tx)
      recording.query = (sql, params = []) => {
        captured ??= { role, claims, sql, params: [...params] }
        return tx.query(sql, params)
      }
      return fn(recording)
    })
  try {
    await request()
  } finally {
    db.asRole = original
  }
  if (!captured) throw new Error('The emulator ran no statement through asRole(); the bench cannot compare like with like.')
  return captured
}

type Path = 'msw' | 'http' | 'fetch' | 'sql' | 'asRole'

async function benchEngine(engine: EngineName): Promise<void> {
  const { db, dispose } = await openEngine(engine, { migrate: false })
  try {
    await db.exec(`
      create table bench_items (id int primary key, name text not null, score numeric, tags text[]);
      insert into bench_items select i, 'item ' || i, i * 1.5, array['t' || (i % 7)] from generate_series(1, ${ROWS}) i;
      alter table bench_items enable row level security;
      create policy bench_read on bench_items for select to anon using (true);
      grant select on bench_items to anon;`)
    const emulator = await createEmulator({ db })
    const served = await serveEmulator(emulator)
    const options = { auth: { persistSession: false, autoRefreshToken: false } }
    const viaMsw = createClient(ORIGIN, emulator.anonKey, options)
    const viaHttp = createClient(served.url, emulator.anonKey, options)
    const viaFetch = createClient(ORIGIN, emulator.anonKey, { ...options, global: { fetch: emulatorFetch(emulator, ORIGIN) } })
    let id = 0
    const nextId = () => (id = (id % ROWS) + 1)
    // The id travels as a text parameter (PostgREST casts it); swap it for the next one per call.
    const statement = await captureStatement(db, () => readOne(viaFetch, 1))
    const idParam = statement.params.indexOf('1')
    if (idParam < 0) throw new Error(`The captured statement has no id parameter: ${JSON.stringify(statement.params)}`)
    const sameQuery = (tx: SqlSession, value: number) => {
      const params = [...statement.params]
      params[idParam] = String(value)
      return tx.query(statement.sql, params)
    }

    const run: Record<Path, () => Promise<unknown>> = {
      msw: () => readOne(viaMsw, nextId()),
      http: () => readOne(viaHttp, nextId()),
      fetch: () => readOne(viaFetch, nextId()),
      sql: () => expectRow(db.query(BARE_SQL, [nextId()])),
      asRole: () => db.asRole(statement.role, statement.claims, (tx) => expectRow(sameQuery(tx, nextId()))),
    }
    const samples: Record<Path, number[]> = { msw: [], http: [], fetch: [], sql: [], asRole: [] }
    // Process CPU time per path: unlike wall time it does not grow when other programs load the
    // machine (PGlite, the HTTP server and the client all run in this process).
    const cpuMicros: Record<Path, number> = { msw: 0, http: 0, fetch: 0, sql: 0, asRole: 0 }
    const perRound = Math.ceil(CALLS / ROUNDS)
    for (let round = 0; round <= ROUNDS; round++) {
      const warm = round === 0
      for (const path of ['msw', 'http', 'fetch', 'sql', 'asRole'] as Path[]) {
        const msw = path === 'msw' ? startMsw(emulator, ORIGIN) : undefined
        try {
          const cpuBefore = process.cpuUsage()
          for (let i = 0; i < (warm ? WARMUP : perRound); i++) {
            const started = performance.now()
            await run[path]()
            if (!warm) samples[path].push(performance.now() - started)
          }
          const cpu = process.cpuUsage(cpuBefore)
          if (!warm) cpuMicros[path] += cpu.user + cpu.system
          msw?.assertNoStrays()
        } finally {
          msw?.close()
        }
      }
    }
    await served.close()
    report(engine, samples, cpuMicros)
  } finally {
    await dispose()
  }
}

async function readOne(client: SupabaseClient, id: number): Promise<void> {
  const { data, error } = await client.from('bench_items').select('id, name, score, tags').eq('id', id).single()
  if (error || (data as { id?: number } | null)?.id !== id) {
    throw new Error(`The emulator answered ${JSON.stringify(error ?? data)} for id ${id}; fix it before reading figures.`)
  }
}

async function expectRow(result: ReturnType<SqlExecutor['query']>): Promise<void> {
  if ((await result).rowCount !== 1) throw new Error('The direct query found no row; the bench table is broken.')
}

function report(engine: EngineName, samples: Record<Path, number[]>, cpuMicros: Record<Path, number>): void {
  const stats = Object.fromEntries(
    Object.entries(samples).map(([path, values]) => [path, { median: median(values), p95: percentile(values, 95) }]),
  ) as Record<Path, { median: number; p95: number }>
  const ms = (value: number) => `${value.toFixed(3)} ms`
  const ratio = (a: Path, c: Path, key: 'median' | 'p95') => stats[a][key] / stats[c][key]
  console.log(`\n${engine}: ${samples.msw.length} calls per path`)
  const cpu = (path: Path) => cpuMicros[path] / 1000 / samples[path].length
  const cpuNote = engine === 'pglite' ? '' : ' (client side only)'
  console.log(`  path                                median        p95   cpu/call${cpuNote}`)
  const rows: [Path, string][] = [
    ['msw', '(a) supabase-js → msw'],
    ['http', '(b) supabase-js → loopback HTTP'],
    ['fetch', '(a″) supabase-js → emulatorFetch'],
    ['asRole', '(c) executor: asRole + same stmt'],
    ['sql', '(c₀) executor: bare select'],
  ]
  for (const [path, label] of rows) {
    console.log(`  ${label.padEnd(34)}${ms(stats[path].median).padStart(10)}${ms(stats[path].p95).padStart(11)}${ms(cpu(path)).padStart(11)}`)
  }
  for (const [a, label] of [['msw', 'a/c'], ['http', 'b/c']] as const) {
    const median = ratio(a, 'asRole', 'median')
    const verdict = engine === 'pglite' ? (median <= TARGET ? 'within' : 'OVER') + ` the ${TARGET}x target` : ''
    console.log(`  ${label}: median ${median.toFixed(2)}x, p95 ${ratio(a, 'asRole', 'p95').toFixed(2)}x  ${verdict}`)
  }
  console.log(`  a″/c: median ${ratio('fetch', 'asRole', 'median').toFixed(2)}x; against the bare select (c₀): a ${ratio('msw', 'sql', 'median').toFixed(2)}x, b ${ratio('http', 'sql', 'median').toFixed(2)}x, c ${ratio('asRole', 'sql', 'median').toFixed(2)}x`)
  if (engine === 'pglite') {
    const r = (a: Path, c: Path) => `${(cpu(a) / cpu(c)).toFixed(2)}x`
    console.log(`  cpu/call ratios: a/c ${r('msw', 'asRole')}, b/c ${r('http', 'asRole')}, a″/c ${r('fetch', 'asRole')}, c/c₀ ${r('asRole', 'sql')}`)
  }
}

console.log(`emulator bench: node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
await benchEngine('pglite')
if (args.includes('--postgres')) await benchEngine('postgres')
