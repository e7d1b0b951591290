/**
 * Database providers for cold mode. A provider is probed, then started once per run (in the
 * main process); the started source hands each test file a fresh migrated database.
 */

/** The providers, in the order cold mode tries them. */
export type ProviderName = 'testcontainers' | 'database-url' | 'initdb' | 'pglite'

/** Where fresh databases come from, as plain JSON so it can cross to test workers. */
export type DatabaseSourceInfo =
  | {
      kind: 'server'
      provider: Exclude<ProviderName, 'pglite'>
      /** Maintenance connection string (no password in logs: use `redactUrl`). */
      adminUrl: string
      /** A migrated database to clone with `CREATE DATABASE … TEMPLATE`. */
      template: string
      /**
       * One migrated database every test file shares, instead of a clone per file
       * (`--database=shared`: like a live project, cleanup is then harmful()'s job alone).
       */
      sharedUrl?: string
    }
  | {
      kind: 'pglite'
      provider: 'pglite'
      /** A migrated PGlite data directory dump, restored per test file. */
      dumpPath: string
    }

/** A started provider. */
export interface DatabaseSource {
  info: DatabaseSourceInfo
  /** One line for the run's header, e.g. `initdb cluster on 127.0.0.1:54012`. */
  description: string
  /** Stops what `start` started (container, cluster, files); idempotent. */
  stop(): Promise<void>
}

/** The outcome of probing a provider. */
export type ProbeResult = { ok: true } | { ok: false; reason: string }

/** One way to get a Postgres. */
export interface DatabaseProvider {
  name: ProviderName
  /** Cheap check whether this provider can run here; says why not. */
  probe(): Promise<ProbeResult>
  /** Starts it and prepares a migrated template. */
  start(): Promise<DatabaseSource>
}
