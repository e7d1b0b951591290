/**
 * RLS checks through the MCP server: what the other user may not see or change. Refused writes
 * are also checked in the database itself: the service role reads the watched rows before and
 * after the attempts, and they must be identical.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Actor, Content, ToolArgs } from './Actor.ts'
import { expect } from '../../../fixtures/index.ts'
import { UnexpectedResultError } from './errors.ts'

/** Codes a refused cross-tenant write may carry (RLS hides the row, or denies the write). */
export const WRITE_DENIED = ['FORBIDDEN', 'NOT_FOUND'] as const

/** Rows of `table` matching `match`: a part of the database refused calls must leave alone. */
export interface Watch {
  table: string
  match: Record<string, string | number | boolean>
}

/** One call that must be refused, with the codes it may be refused with (default `WRITE_DENIED`). */
export interface Probe {
  tool: string
  args: ToolArgs
  codes?: readonly string[]
}

/** The watched rows as the service role sees them, ordered by id. */
export async function snapshot(service: SupabaseClient, watch: Watch): Promise<unknown[]> {
  const { data, error } = await service.from(watch.table).select('*').match(watch.match).order('id')
  if (error) throw new UnexpectedResultError(`Could not read "${watch.table}" as the service role: ${error.message}`)
  return data ?? []
}

/**
 * `actor` makes every call of `probes` in turn; each must be refused with one of its codes, and
 * every watched set of rows must be the same after them as before. Returns the codes.
 * @note Nothing else may write the watched rows meanwhile; flows call it between their own steps' writes.
 */
export async function expectRefused(service: SupabaseClient, actor: Actor, probes: Probe | Probe[], watch: Watch | Watch[]): Promise<string[]> {
  const calls = Array.isArray(probes) ? probes : [probes]
  const watches = Array.isArray(watch) ? watch : [watch]
  const before = await Promise.all(watches.map((w) => snapshot(service, w)))
  const codes: string[] = []
  for (const { tool, args, codes: allowed = WRITE_DENIED } of calls) {
    const failure = await actor.fails(tool, args)
    expect(allowed, `${actor.label(tool, args)} was refused with ${failure.code}: ${failure.message}`).toContain(failure.code)
    codes.push(failure.code)
  }
  const after = await Promise.all(watches.map((w) => snapshot(service, w)))
  const tried = calls.map(({ tool, args }) => actor.label(tool, args)).join('; ')
  watches.forEach((w, i) => {
    expect(after[i], `"${w.table}" ${JSON.stringify(w.match)} changed after refused calls: ${tried}`).toEqual(before[i])
  })
  return codes
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
