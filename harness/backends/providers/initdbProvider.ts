/**
 * Cold provider (3): a throw-away cluster made with `initdb` + `pg_ctl` in a temp dir on a
 * free port, tuned for tests (no fsync), removed when the run ends.
 * @note initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
 */
import type { DatabaseProvider } from './types.ts'
import { execFile } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createMigratedTemplate } from './migratedTemplate.ts'

const run = promisify(execFile)

/** How to reach the Postgres binaries and which OS user runs them. */
export interface InitdbOptions {
  /** Folder holding `initdb` and `pg_ctl`; default: found on PATH. */
  binDir?: string
  /** Run the cluster as this OS user when the process is root (default `postgres`). */
  runAs?: string
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export function initdbProvider(options: InitdbOptions = {}): DatabaseProvider {
  const bin = (name: string) => (options.binDir ? join(options.binDir, name) : name)
  const asRoot = process.getuid?.() === 0
  const user = options.runAs ?? 'postgres'
  // As root, every Postgres binary runs through runuser as the cluster's owner.
  const pg = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', user, '--', bin(name), ...args]) : run(bin(name), args)

  return {
    name: 'initdb',
    async probe() {
      try {
        await pg('initdb', ['--version'])
        await pg('pg_ctl', ['--version'])
        return { ok: true }
      } catch (error) {
        return { ok: false, reason: `initdb/pg_ctl not runnable (${(error as Error).message.split('\n')[0]})` }
      }
    },
    async start() {
      const dir = mkdtempSync(join(tmpdir(), 'atoms-cluster-'))
      const data = join(dir, 'data')
      if (asRoot) {
        const { stdout } = await run('id', ['-u', user])
        const { stdout: gid } = await run('id', ['-g', user])
        chownSync(dir, Number(stdout.trim()), Number(gid.trim()))
      }
      const port = await freePort()
      let started = false
      const stop = async () => {
        if (started) await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
        started = false
        rmSync(dir, { recursive: true, force: true })
      }
      try {
        await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
        const settings = [
          `-p ${port}`,
          `-k ${dir}`,
          '-c listen_addresses=127.0.0.1',
          '-c fsync=off',
          '-c synchronous_commit=off',
          '-c full_page_writes=off',
        ].join(' ')
        await pg('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', 'start'])
        started = true
        const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
        const template = await createMigratedTemplate(adminUrl)
        return {
          info: { kind: 'server', provider: 'initdb', adminUrl, template },
          description: `throw-away initdb cluster on 127.0.0.1:${port}`,
          stop,
        }
      } catch (error) {
        await stop()
        throw error
      }
    },
  }
}
