/**
 * Names of prepared statements, and which of them each connection holds.
 *
 * A statement text gets one name for good (`atoms_<n>`), so node-postgres never sees one name
 * used for two texts. A connection prepares at most `maxPerConnection` of them: past that it runs
 * new texts unnamed, and is closed rather than returned to the pool (Postgres keeps every
 * prepared statement, with its plans, for the life of the connection). PostgREST bounds the same
 * memory by recycling its pool connections.
 */
import { LRUCache } from 'lru-cache'

export class PreparedStatements {
  readonly #names: LRUCache<string, string>
  readonly #held = new WeakMap<object, Set<string>>()
  readonly #maxPerConnection: number
  #issued = 0

  constructor(maxPerConnection: number) {
    this.#maxPerConnection = maxPerConnection
    // Texts seen recently keep their names; older ones are forgotten (and named anew if they return).
    this.#names = new LRUCache({ max: Math.max(1, 4 * maxPerConnection) })
  }

  /** The name to run `text` under on `connection`, or undefined to run it unnamed. */
  nameFor(connection: object, text: string): string | undefined {
    if (this.#maxPerConnection <= 0) return undefined
    let name = this.#names.get(text)
    if (name === undefined) this.#names.set(text, (name = `atoms_${++this.#issued}`))
    let held = this.#held.get(connection)
    if (!held) this.#held.set(connection, (held = new Set()))
    if (held.has(name)) return name
    if (held.size >= this.#maxPerConnection) return undefined
    held.add(name)
    return name
  }

  /** True once `connection` holds all it may: close it instead of reusing it. */
  isFull(connection: object): boolean {
    return this.#maxPerConnection > 0 && (this.#held.get(connection)?.size ?? 0) >= this.#maxPerConnection
  }
}
