/**
 * Session storage on Upstash Redis / Vercel KV over its REST API (`@upstash/redis`): the same
 * keys and Lua scripts as `RedisStore`; batches go to `/pipeline` or `/multi-exec`.
 */
import type { Pipeline } from '@upstash/redis'
import type { LuaScript } from './lua.ts'
import type { RedisCommand } from './ScriptStore.ts'
import { Redis } from '@upstash/redis'
import { SessionStoreError } from '../errors.ts'
import { ScriptStore } from './ScriptStore.ts'

/** Options of `UpstashStore`. */
export interface UpstashStoreOptions {
  prefix: string
  /** REST URL (`UPSTASH_REDIS_REST_URL` / `KV_REST_API_URL`). */
  url: string
  /** REST token (`UPSTASH_REDIS_REST_TOKEN` / `KV_REST_API_TOKEN`). */
  token: string
}

/** A `SessionStore` on the Upstash REST API. */
export class UpstashStore extends ScriptStore {
  readonly kind = 'upstash' as const
  readonly client: Redis

  constructor(options: UpstashStoreOptions) {
    super(options.prefix)
    if (!options.url || !options.token) {
      throw new SessionStoreError('The Upstash store needs "url" and "token": set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN')
    }
    this.client = new Redis({
      url: options.url,
      token: options.token,
      // Values are our own strings: no JSON guessing on the way back.
      automaticDeserialization: false,
      enableTelemetry: false,
      retry: { retries: 1, backoff: () => 50 },
    })
  }

  protected async _command(command: RedisCommand): Promise<unknown> {
    const [name, ...args] = command
    try {
      return await this.client.exec([String(name), ...args])
    } catch (error) {
      throw storeError(`"${name}"`, error)
    }
  }

  protected async _batch(commands: RedisCommand[], atomic: boolean): Promise<unknown[]> {
    const pipe = atomic ? this.client.multi() : this.client.pipeline()
    for (const command of commands) addToPipeline(pipe, command)
    try {
      return await pipe.exec()
    } catch (error) {
      throw storeError(atomic ? '/multi-exec' : '/pipeline', error)
    }
  }

  protected async _script(script: LuaScript, args: Array<string | number>): Promise<unknown> {
    const argv = args.map(String)
    try {
      return await this.client.evalsha(script.sha, [], argv)
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw storeError(`script "${script.name}"`, error)
    }
    try {
      return await this.client.eval(script.body, [], argv)
    } catch (error) {
      throw storeError(`script "${script.name}"`, error)
    }
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing to close.
  }
}

// The REST client's pipelines take typed commands only; these are the ones ScriptStore batches.
function addToPipeline(pipe: Pipeline, command: RedisCommand): void {
  const [name, key, ...rest] = command.map(String)
  if (!name || key === undefined) throw new SessionStoreError('An empty command cannot be batched')
  switch (name.toUpperCase()) {
    case 'LPUSH': pipe.lpush(key, ...rest); return
    case 'RPUSH': pipe.rpush(key, ...rest); return
    case 'LTRIM': pipe.ltrim(key, Number(rest[0]), Number(rest[1])); return
    case 'PEXPIRE': pipe.pexpire(key, Number(rest[0])); return
    case 'UNLINK': pipe.unlink(key, ...rest); return
    default: throw new SessionStoreError(`Command "${name}" cannot be batched on Upstash; add it to addToPipeline`)
  }
}

function storeError(what: string, error: unknown): SessionStoreError {
  return new SessionStoreError(`Upstash ${what} failed: ${(error as Error)?.message ?? String(error)}; check the REST URL and token`, { cause: error })
}
