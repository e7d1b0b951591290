/**
 * Session storage on Redis through `ioredis`: TTLs expire records, Lua scripts make compound
 * operations atomic, `SET NX PX` is the refresh lock. Several server instances may share it.
 */
import type { LuaScript } from './lua.ts'
import type { RedisCommand } from './ScriptStore.ts'
import { Redis } from 'ioredis'
import { SessionStoreError } from '../errors.ts'
import { ScriptStore } from './ScriptStore.ts'

/** Options of `RedisStore`. */
export interface RedisStoreOptions {
  /** Key prefix of every key this store writes. */
  prefix: string
  /** An existing client (left open by `close`), or… */
  client?: Redis
  /** …a URL to connect to (closed by `close`), default `redis://127.0.0.1:6379`. */
  url?: string
}

/** A `SessionStore` on Redis. */
export class RedisStore extends ScriptStore {
  readonly kind = 'redis' as const
  readonly client: Redis
  #owned: boolean

  constructor(options: RedisStoreOptions) {
    super(options.prefix)
    this.#owned = !options.client
    this.client = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 })
  }

  protected async _command(command: RedisCommand): Promise<unknown> {
    const [name, ...args] = command
    try {
      return await this.client.call(String(name), ...args)
    } catch (error) {
      throw storeError(`"${name}"`, error)
    }
  }

  protected async _batch(commands: RedisCommand[], atomic: boolean): Promise<unknown[]> {
    // ioredis batches by method name, which is lower case.
    const list = commands.map(([name, ...args]) => [String(name).toLowerCase(), ...args.map(String)])
    let replies: Array<[Error | null, unknown]> | null
    try {
      replies = await (atomic ? this.client.multi(list) : this.client.pipeline(list)).exec()
    } catch (error) {
      throw storeError(atomic ? 'MULTI' : 'pipeline', error)
    }
    if (!replies) throw new SessionStoreError('Redis aborted a MULTI block; retry the operation')
    return replies.map(([error, value]) => {
      if (error) throw storeError(atomic ? 'MULTI' : 'pipeline', error)
      return value
    })
  }

  protected async _script(script: LuaScript, args: Array<string | number>): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha, 0, ...args)
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw storeError(`script "${script.name}"`, error)
    }
    try {
      return await this.client.eval(script.body, 0, ...args)
    } catch (error) {
      throw storeError(`script "${script.name}"`, error)
    }
  }

  async close(): Promise<void> {
    if (this.#owned && this.client.status !== 'end') await this.client.quit().catch(() => this.client.disconnect())
  }
}

function storeError(what: string, error: unknown): SessionStoreError {
  return new SessionStoreError(`Redis ${what} failed: ${(error as Error)?.message ?? String(error)}; check that Redis is reachable`, { cause: error })
}
