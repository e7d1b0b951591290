/**
 * The order in which tracked rows are deleted: newest first, except that a table's rows wait
 * until every row of the tables that reference it (its child tables, transitively) is gone.
 */
import type { TableDependencies, TrackedRow } from './types.ts'

/** Child tables of every table, transitively, from a `{ child: [parents] }` map. Self-references are ignored. */
export function descendantTables(dependencies: TableDependencies): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>()
  for (const [child, parents] of Object.entries(dependencies)) {
    for (const parent of parents) {
      if (parent === child) continue
      let set = children.get(parent)
      if (!set) children.set(parent, (set = new Set()))
      set.add(child)
    }
  }
  const result = new Map<string, Set<string>>()
  for (const table of children.keys()) {
    const seen = new Set<string>()
    const stack = [...(children.get(table) ?? [])]
    while (stack.length > 0) {
      const next = stack.pop() as string
      if (seen.has(next)) continue
      seen.add(next)
      stack.push(...(children.get(next) ?? []))
    }
    // A table inside a foreign-key cycle would otherwise wait for itself forever.
    seen.delete(table)
    result.set(table, seen)
  }
  return result
}

/**
 * Rows in deletion order. Each round takes, among the tables none of whose descendant tables
 * still hold rows, the table whose newest row is newest overall, and deletes that row.
 * When foreign keys form a cycle between tables no table is free; the newest row goes then.
 */
export function deletionOrder(rows: readonly TrackedRow[], dependencies: TableDependencies = {}): TrackedRow[] {
  const descendants = descendantTables(dependencies)
  const stacks = new Map<string, TrackedRow[]>()
  for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
    let stack = stacks.get(row.table)
    if (!stack) stacks.set(row.table, (stack = []))
    stack.push(row)
  }
  const order: TrackedRow[] = []
  while (stacks.size > 0) {
    let pick: string | undefined
    let fallback: string | undefined
    for (const [table, stack] of stacks) {
      const top = (stack.at(-1) as TrackedRow).seq
      if (fallback === undefined || top > (stacks.get(fallback)?.at(-1) as TrackedRow).seq) fallback = table
      const blocked = [...(descendants.get(table) ?? [])].some((child) => stacks.has(child))
      if (blocked) continue
      if (pick === undefined || top > (stacks.get(pick)?.at(-1) as TrackedRow).seq) pick = table
    }
    const table = (pick ?? fallback) as string
    const stack = stacks.get(table) as TrackedRow[]
    order.push(stack.pop() as TrackedRow)
    if (stack.length === 0) stacks.delete(table)
  }
  return order
}
