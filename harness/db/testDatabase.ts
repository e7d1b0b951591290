/**
 * Throw-away databases on a Postgres server: each test run gets its own uniquely named
 * database (optionally cloned from a migrated template) and drops it afterwards.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { DatabaseUnavailableError } from './errors.ts'

/** The server tests use unless `DATABASE_URL` says otherwise. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

/** A database that exists until `drop()`. */
export interface TestDatabase {
  name: string
  /** Connection string of the new database. */
  url: string
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>
}

/** The server URL from `DATABASE_URL`, else the machine's default. */
export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || DEFAULT_DATABASE_URL
}

/** `url` with its database path replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** Runs one statement on the server's maintenance connection (`url` as given). */
export async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
  try {
    await client.connect()
  } catch (error) {
    throw new DatabaseUnavailableError(url, error)
  }
  try {
    return await client.query(sql)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** A fresh database name; the prefix makes leftovers of crashed runs easy to find. */
export function uniqueDatabaseName(prefix = 'atoms_t'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
}

/**
 * Creates a uniquely named database on the server of `url`, empty or as a copy of `template`.
 * @note `CREATE DATABASE … TEMPLATE` needs the template to have no other connections.
 */
export async function createTestDatabase(
  options: { url?: string; template?: string; prefix?: string } = {},
): Promise<TestDatabase> {
  const url = options.url ?? serverUrl()
  const name = uniqueDatabaseName(options.prefix)
  const template = options.template ? ` template "${options.template.replaceAll('"', '""')}"` : ''
  await adminQuery(url, `create database "${name}"${template}`)
  return {
    name,
    url: withDatabase(url, name),
    drop: async () => {
      await adminQuery(url, `drop database if exists "${name}" with (force)`)
    },
  }
}
