/**
 * The atoms-test command as a user runs it: a real child process of `cli/bin.js`.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const bin = fileURLToPath(new URL('../bin.js', import.meta.url))
const HOT_VARS = ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'ATOMS_TEST_MODE']

/** Runs the CLI with `args`; resolves to its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !HOT_VARS.includes(k))) as Record<string, string>
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...base, ...env } })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

describe('atoms-test', () => {
  test('--help lists the options and commands', async () => {
    const { code, out } = await cli(['--help'])
    expect(code).toBe(0)
    for (const word of ['--mode', '--suite', '--flow', '--shard', '--max-workers', '--fail-on-leak', '--allow-production', 'emulator']) {
      expect(out).toContain(word)
    }
  })

  test('--mode=hot without the variables exits 2 and lists every missing one', async () => {
    const { code, err } = await cli(['--mode=hot'])
    expect(code).toBe(2)
    expect(err).toContain('"SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"')
  })

  test('hot refuses a production target unless allowed', async () => {
    const env = { SUPABASE_URL: 'https://prodref.supabase.co', SUPABASE_ANON_KEY: 'a', SUPABASE_SERVICE_ROLE_KEY: 's', ATOMS_PRODUCTION_REFS: 'prodref' }
    const { code, err } = await cli(['--mode=hot'], env)
    expect(code).toBe(2)
    expect(err).toContain('Refusing to run against "prodref"')
  })

  test('an unknown mode or suite is a usage error (exit 2)', async () => {
    const mode = await cli(['--mode=warm'])
    expect(mode.code).toBe(2)
    expect(mode.err).toContain('Unknown test mode "warm"')
    const suite = await cli(['--suite=nope'])
    expect(suite.code).toBe(2)
    expect(suite.err).toContain('Unknown suite "nope"')
    const workers = await cli(['--max-workers=0'])
    expect(workers.code).toBe(2)
    expect(workers.err).toContain('"0" is not a worker count')
  })

  test('emulator serves a migrated database and prints the SUPABASE_* variables', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--provider', 'pglite'], { env: process.env })
    let out = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk
        if (out.includes('Ctrl-C')) resolve()
      })
      child.on('close', (code) => reject(new Error(`emulator exited early (${code}): ${out}`)))
    })
    const vars = Object.fromEntries(out.split('\n').filter((l) => l.startsWith('SUPABASE_')).map((l) => l.split('=', 2) as [string, string]))
    expect(Object.keys(vars).sort()).toEqual(['SUPABASE_ANON_KEY', 'SUPABASE_JWT_SECRET', 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_URL'])
    const health = await fetch(`${vars.SUPABASE_URL}/auth/v1/health`, { headers: { apikey: vars.SUPABASE_ANON_KEY! } })
    expect(health.status).toBe(200)
    const rows = await fetch(`${vars.SUPABASE_URL}/rest/v1/organizations?select=id`, { headers: { apikey: vars.SUPABASE_ANON_KEY! } })
    expect(await rows.json()).toEqual([])
    const closed = new Promise((resolve) => child.on('close', resolve))
    child.kill('SIGINT')
    expect(await closed).toBe(0)
  }, 120_000)
})
