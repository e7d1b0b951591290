/**
 * Small assertions the edge-case steps share: whether an actor sees a row, and that a write
 * was refused (by a policy's check, 42501) or touched nothing (a USING clause hid the row).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { expect } from '../../../fixtures/index.ts'
import { INSUFFICIENT_PRIVILEGE } from '../lib/index.ts'

type Response = { data: unknown; error: { code?: string | null; message: string } | null }

/** The ids of `ids` that `client` can read from `table`. */
export async function visibleIds(client: SupabaseClient, table: string, ids: readonly string[]): Promise<string[]> {
  const { data, error } = await client.from(table).select('id').in('id', ids)
  expect(error, `read of "${table}" failed: ${error?.message}`).toBeNull()
  return (data as { id: string }[]).map((row) => row.id).sort()
}

/** True when `client` can read row `id` of `table`. */
export async function sees(client: SupabaseClient, table: string, id: string): Promise<boolean> {
  return (await visibleIds(client, table, [id])).length === 1
}

/** A write refused by row-level security (SQLSTATE 42501). */
export function expectRefused(response: Response, what: string): void {
  expect(response.error?.code, `${what}: expected 42501, got ${response.error ? `${response.error.code}: ${response.error.message}` : 'success'}`).toBe(
    INSUFFICIENT_PRIVILEGE,
  )
}

/** An update or delete (with `select('id')`) that matched no row the actor may touch. */
export function expectNoRow(response: Response, what: string): void {
  expect(response.error, `${what}: ${response.error?.message}`).toBeNull()
  expect(response.data, `${what}: expected no row to be touched`).toEqual([])
}

/** An update or delete (with `select('id')`) that touched exactly the row `id`. */
export function expectOneRow(response: Response, id: string, what: string): void {
  expect(response.error, `${what}: ${response.error?.message}`).toBeNull()
  expect(response.data, `${what}: expected row "${id}" to be touched`).toEqual([{ id }])
}
