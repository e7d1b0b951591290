/**
 * Names of prepared statements, and which of them each connection holds.
 *
 * A statement text gets one name for good (`atoms_<n>`), so node-postgres never sees one name
 * used for two texts. A connection prepares at most `maxPerConnection` of them: past that it runs
 * new texts unnamed, and is closed rather than returned to the pool (Postgres keeps every
 * prepared statement, with its plans, for the life of the connection). PostgREST bounds the same
 * memory by recycling its pool connections.
 */
export class PreparedStatements {
  readonly #names = new Map<string, string>()
  readonly #held = new WeakMap<object, Set<string>>()
  readonly #maxPerConnection: number
  readonly #maxNames: number
  #issued = 0

  constructor(maxPerConnection: number) {
    this.#maxPerConnection = maxPerConnection
    // Texts seen recently keep their names; older ones are forgotten (and named anew if they return).
    this.#maxNames = 4 * maxPerConnection
  }

  /** The name to run `text` under on `connection`, or undefined to run it unnamed. */
  nameFor(connection: object, text: string): string | undefined {
    if (this.#maxPerConnection <= 0) return undefined
    let name = this.#names.get(text)
    if (name === undefined) {
      name = `atoms_${++this.#issued}`
      if (this.#names.size >= this.#maxNames) this.#names.delete(this.#names.keys().next().value!)
    } else {
      this.#names.delete(text)
    }
    // Re-inserted: the map's order is least recently used first.
    this.#names.set(text, name)
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
