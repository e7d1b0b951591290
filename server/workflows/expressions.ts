/**
 * The small expression language of workflow step arguments.
 *
 * A string `"${path}"` that is exactly one reference takes the referenced value as is (object,
 * array, number...); references inside longer strings are interpolated as text. A whole-value
 * reference that resolves to nothing drops its key, so optional inputs can be passed through.
 * `{"$merge": [a, b, ...]}` shallow-merges objects left to right.
 *
 * Paths start at `inputs`, `steps.<id>` (an earlier step's structured result), `item` and
 * `index` (inside `for_each`), `iter.<id>` (an earlier sub-step of the same iteration),
 * `workflow` (`id`, `organization_id`) or `user` (`id`); segments are keys, array indexes or
 * `*` (apply the rest of the path to every element).
 */

/** The values references resolve against. */
export interface Scope {
  inputs: Record<string, unknown>
  steps: Record<string, unknown>
  item?: unknown
  index?: number
  iter?: Record<string, unknown>
  workflow: { id: string, organization_id: string }
  user: { id: string }
}

/** Roots a path may start with. */
export const ROOTS = ['inputs', 'steps', 'item', 'index', 'iter', 'workflow', 'user'] as const

const REF = /\$\{([^${}]{1,200})\}/g
const WHOLE = /^\$\{([^${}]{1,200})\}$/
const SEGMENT = /^(?:[A-Za-z0-9_-]{1,64}|\*)$/

/** A reference that cannot be resolved because it is malformed. */
export class ExpressionError extends Error {
  override name = 'ExpressionError'
}

/** Splits and checks a path ("steps.project.item.id"). */
export function parsePath(path: string): string[] {
  const segments = path.trim().split('.')
  const [root] = segments
  if (!root || !(ROOTS as readonly string[]).includes(root)) {
    throw new ExpressionError(`reference "\${${path}}" must start with one of: ${ROOTS.join(', ')}`)
  }
  for (const s of segments) if (!SEGMENT.test(s)) throw new ExpressionError(`reference "\${${path}}" has a bad segment "${s}"`)
  return segments
}

/** Every path referenced anywhere in a value (for static checks at create time). */
export function referencedPaths(value: unknown, into: string[][] = []): string[][] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REF)) into.push(parsePath(match[1]!))
  } else if (Array.isArray(value)) {
    for (const v of value) referencedPaths(v, into)
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedPaths(v, into)
  }
  return into
}

/** Resolves a path against the scope; `undefined` when any segment is missing. */
export function lookup(scope: Scope, segments: string[]): unknown {
  return walk(scope as unknown, segments)
}

function walk(value: unknown, segments: string[]): unknown {
  if (segments.length === 0) return value
  const [head, ...rest] = segments
  if (head === '*') return Array.isArray(value) ? value.map((v) => walk(v, rest)) : undefined
  if (Array.isArray(value)) return /^\d+$/.test(head!) ? walk(value[Number(head)], rest) : undefined
  if (value && typeof value === 'object' && Object.hasOwn(value, head!)) return walk((value as Record<string, unknown>)[head!], rest)
  return undefined
}

/** Resolves every reference and `$merge` in a value. */
export function resolve(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole) return lookup(scope, parsePath(whole[1]!))
    return value.replace(REF, (_m, path: string) => {
      const found = lookup(scope, parsePath(path))
      if (found === undefined) throw new ExpressionError(`reference "\${${path}}" has no value`)
      return typeof found === 'string' ? found : JSON.stringify(found)
    })
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope)).filter((v) => v !== undefined)
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 1 && entries[0]![0] === '$merge') {
      const parts = resolve(entries[0]![1], scope)
      if (!Array.isArray(parts)) throw new ExpressionError('"$merge" takes an array of objects')
      const merged: Record<string, unknown> = {}
      for (const part of parts) {
        if (part === null || typeof part !== 'object' || Array.isArray(part)) throw new ExpressionError('"$merge" takes an array of objects')
        for (const [key, v] of Object.entries(part)) if (key !== '__proto__') merged[key] = v
      }
      return merged
    }
    const out: Record<string, unknown> = {}
    for (const [key, v] of entries) {
      const resolved = resolve(v, scope)
      // "__proto__" would set the object's prototype instead of a key.
      if (resolved !== undefined && key !== '__proto__') out[key] = resolved
    }
    return out
  }
  return value
}
