/**
 * RLS checks through the MCP server: what the other user may not see or change. A refused
 * write is also checked in the database itself: the service role reads the watched rows
 * before and after the attempt, and they must be identical.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Actor, Content, ToolArgs } from './Actor.ts'
import { expect } from '../../../fixtures/index.ts'
import { UnexpectedResultError } from './errors.ts'

/** Codes a refused cross-tenant write may carry (RLS hides the row, or denies the write). */
export const WRITE_DENIED = ['FORBIDDEN', 'NOT_FOUND'] as const

/** Rows of `table` matching `match`: the part of the database a refused call must leave alone. */
export interface Watch {
  table: string
  match: Record<string, string | number | boolean>
}

/** The watched rows as the service role sees them, ordered by id. */
export async function snapshot(service: SupabaseClient, watch: Watch): Promise<unknown[]> {
  const { data, error } = await service.from(watch.table).select('*').match(watch.match).order('id')
  if (error) throw new UnexpectedResultError(`Could not read "${watch.table}" as the service role: ${error.message}`)
  return data ?? []
}

/**
 * `actor` calls `tool` and must be refused with one of `codes`, and every watched set of rows
 * must be the same afterwards. Returns the error code.
 */
export async function expectRefused(
  service: SupabaseClient,
  actor: Actor,
  tool: string,
  args: ToolArgs,
  watch: Watch | Watch[],
  codes: readonly string[] = WRITE_DENIED,
): Promise<string> {
  const watches = Array.isArray(watch) ? watch : [watch]
  const before = await Promise.all(watches.map((w) => snapshot(service, w)))
  const failure = await actor.fails(tool, args)
  expect(codes, `${actor.label(tool, args)} was refused with ${failure.code}: ${failure.message}`).toContain(failure.code)
  const after = await Promise.all(watches.map((w) => snapshot(service, w)))
  watches.forEach((w, i) => {
    expect(after[i], `${actor.label(tool, args)} changed "${w.table}" ${JSON.stringify(w.match)}`).toEqual(before[i])
  })
  return failure.code
}

/** A read of one foreign row: `NOT_FOUND`, as if it did not exist. */
export async function expectNotFound(actor: Actor, tool: string, args: ToolArgs): Promise<void> {
  const failure = await actor.fails(tool, args)
  expect(failure.code, `${actor.label(tool, args)}: ${failure.message}`).toBe('NOT_FOUND')
}

/** A list or search over foreign rows: succeeds and finds nothing (`count` reads the size). */
export async function expectNothing(actor: Actor, tool: string, args: ToolArgs, count: (content: Content) => unknown = (c) => c.total): Promise<Content> {
  const content = await actor.ok(tool, args)
  expect(count(content), `${actor.label(tool, args)} saw foreign rows: ${JSON.stringify(content).slice(0, 400)}`).toBe(0)
  return content
}
