/**
 * Shared helpers of the server's tests: a Supabase stack (migrated database + emulator) served
 * either in-process through msw (dry) or on a loopback port (cold), users signed up through the
 * emulator's GoTrue, and real MCP SDK clients talking to `createServer` over an in-memory pair.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Emulator, MswEmulator, ServedEmulator } from '../../harness/emulator/index.ts'
import type { SqlExecutor } from '../../harness/sql/index.ts'
import type { EngineName } from '../../harness/testing/index.ts'
import type { ServerDeps } from '../createServer.ts'

import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { createClient } from '@supabase/supabase-js'
import { migratedDump } from '../../harness/backends/providers/index.ts'
import { createEmulator, serveEmulator, startMsw } from '../../harness/emulator/index.ts'
import { createPgliteExecutor } from '../../harness/sql/index.ts'
import { openEngine } from '../../harness/testing/index.ts'
import { createServer } from '../createServer.ts'

/** A signed-up user and its access token. */
export interface TestUser {
  id: string
  email: string
  password: string
  token: string
}

/** A migrated database with an emulator in front of it. */
export interface Stack {
  db: SqlExecutor
  emulator: Emulator
  /** `SUPABASE_URL` of the emulator. */
  url: string
  anonKey: string
  serviceRoleKey: string
  jwtSecret: string
  /** Signs up a user through GoTrue and signs it in. */
  signUp(label?: string): Promise<TestUser>
  /** Signs a user in again: a new access token of a new upstream session. */
  signIn(user: TestUser): Promise<string>
  /** An MCP client connected in-process to a fresh `createServer` acting as `user`. */
  connect(user: TestUser | null, deps?: Partial<ServerDeps>): Promise<Client>
  close(): Promise<void>
}


/** Opens a stack: `dry` = PGlite behind msw in this process, `cold` = Postgres behind a loopback HTTP server. */
export async function openStack(mode: 'dry' | 'cold', engine: EngineName = mode === 'dry' ? 'pglite' : 'postgres'): Promise<Stack> {
  const opened = await openDatabase(engine)
  let msw: MswEmulator | undefined
  let served: ServedEmulator | undefined
  try {
    const emulator = await createEmulator({ db: opened.db })
    let url: string
    if (mode === 'dry') {
      url = `http://supabase-${randomUUID().slice(0, 8)}.test`
      msw = startMsw(emulator, url)
    } else {
      served = await serveEmulator(emulator)
      url = served.url
    }
    const anon = () => createClient(url, emulator.anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
    let counter = 0
    const stack: Stack = {
      db: opened.db,
      emulator,
      url,
      anonKey: emulator.anonKey,
      serviceRoleKey: emulator.serviceRoleKey,
      jwtSecret: emulator.jwtSecret,
      async signUp(label = 'user') {
        const email = `${label}-${++counter}-${randomUUID().slice(0, 6)}@example.com`
        const password = `pw-${randomUUID()}`
        const client = anon()
        const signedUp = await client.auth.signUp({ email, password })
        if (signedUp.error) throw signedUp.error
        const signedIn = await client.auth.signInWithPassword({ email, password })
        if (signedIn.error || !signedIn.data.session) throw signedIn.error ?? new Error(`no session for "${email}"`)
        return { id: signedIn.data.user!.id, email, password, token: signedIn.data.session.access_token }
      },
      async signIn(user) {
        const signedIn = await anon().auth.signInWithPassword({ email: user.email, password: user.password })
        if (signedIn.error || !signedIn.data.session) throw signedIn.error ?? new Error(`no session for "${user.email}"`)
        return signedIn.data.session.access_token
      },
      async connect(user, deps = {}) {
        const server = createServer({
          supabase: { url, anonKey: emulator.anonKey },
          ...(user ? { caller: { accessToken: user.token, userId: user.id } } : {}),
          ...deps,
        })
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
        await server.connect(serverSide)
        const client = new Client({ name: 'server-tests', version: '1.0.0' })
        await client.connect(clientSide)
        return client
      },
      async close() {
        msw?.close()
        await served?.close()
        await opened.dispose()
      },
    }
    return stack
  } catch (error) {
    msw?.close()
    await served?.close()
    await opened.dispose()
    throw error
  }
}

// PGlite restores the harness's cached migrated dump (seconds faster than migrating per file).
async function openDatabase(engine: EngineName): Promise<{ db: SqlExecutor, dispose(): Promise<void> }> {
  if (engine === 'postgres') return openEngine('postgres')
  const db = await createPgliteExecutor({ loadDataDir: new Blob([readFileSync(await migratedDump())]) })
  return { db, dispose: () => db.close() }
}

/** Calls `tool` with `args`; returns the raw result. */
export async function call(client: Client, tool: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return await client.callTool({ name: tool, arguments: args }) as CallToolResult
}

/** Calls and expects success; returns the structured content. */
export async function ok<T = Record<string, any>>(client: Client, tool: string, args: Record<string, unknown>): Promise<T> {
  const result = await call(client, tool, args)
  if (result.isError) throw new Error(`${tool}.${String(args.operation)} failed: ${JSON.stringify(result.structuredContent ?? result.content)}`)
  return result.structuredContent as T
}

/** Calls and expects a tool error; returns its code and message. */
export async function fails(client: Client, tool: string, args: Record<string, unknown>): Promise<{ code: string, message: string, details?: Record<string, unknown> }> {
  const result = await call(client, tool, args)
  if (!result.isError) throw new Error(`${tool}.${String(args.operation)} unexpectedly succeeded: ${JSON.stringify(result.structuredContent)}`)
  const error = (result.structuredContent as { error?: { code: string, message: string, details?: Record<string, unknown> } } | undefined)?.error
  if (!error) throw new Error(`${tool}.${String(args.operation)} failed without a structured error: ${JSON.stringify(result.content)}`)
  return error
}

/** Counts rows of a table as the superuser (what the database really holds). */
export async function countRows(db: SqlExecutor, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from public.${table} where ${where}`, params)
  return rows[0]!.n
}

