/**
 * The one place where database and PostgREST failures become tool error codes (spec §2.3,
 * redone with the stable codes of §0). Every data call funnels its `error` through here.
 * @see https://postgrest.org/en/stable/references/errors.html
 */
import { ToolError } from '../errors.ts'

/** The error part of a supabase-js response. */
export interface DataErrorLike {
  code?: string | null
  message?: string | null
  details?: string | null
  hint?: string | null
}

/** What the failed call was doing, so a foreign-key violation can be read the right way. */
export type DataAction = 'read' | 'insert' | 'update' | 'delete' | 'rpc'

/**
 * Maps a supabase-js error (with the HTTP status when known) to a `ToolError`.
 * - 42501 / RLS messages → FORBIDDEN; PGRST116 (no row for `.single()`) and P0002 → NOT_FOUND
 * - 23505 unique, 40001 serialization, 23503 on delete (still referenced) → CONFLICT
 * - other class 22/23 data and constraint errors, PGRST1xx request parse errors → INVALID_INPUT
 * - PGRST3xx (JWT) or HTTP 401 → UNAUTHENTICATED; HTTP 429 → RATE_LIMITED; anything else → INTERNAL
 */
export function mapDataError(error: DataErrorLike, status?: number, action: DataAction = 'read'): ToolError {
  const code = error.code ?? ''
  const message = error.message ?? 'unknown database error'
  const details = { sqlstate: code || undefined, status, hint: error.hint ?? undefined, detail: error.details ?? undefined }
  if (status === 429) return new ToolError('RATE_LIMITED', 'Too many requests to the database; retry after a short pause', details)
  if (code.startsWith('PGRST3') || status === 401) {
    return new ToolError('UNAUTHENTICATED', `Your access token was refused (${message}); sign in again and retry`, details)
  }
  if (code === '42501' || /row-level security/i.test(message)) {
    return new ToolError('FORBIDDEN', `You are not allowed to do this (${message})`, details)
  }
  if (code === 'PGRST116' || code === 'P0002') return new ToolError('NOT_FOUND', message, details)
  if (code === '23505') return new ToolError('CONFLICT', `A row with the same unique value already exists (${error.details ?? message})`, details)
  if (code === '40001' || code === '40P01' || code === '23P01') return new ToolError('CONFLICT', `Concurrent change; retry (${message})`, details)
  if (code === '23503') {
    return action === 'delete' || /still referenced/i.test(error.details ?? '')
      ? new ToolError('CONFLICT', `Other rows still refer to this one; delete or move them first (${error.details ?? message})`, details)
      : new ToolError('INVALID_INPUT', `A referenced row does not exist (${error.details ?? message})`, details)
  }
  if (code.startsWith('22') || code.startsWith('23') || code === 'P0001') {
    return new ToolError('INVALID_INPUT', message, details)
  }
  if (code.startsWith('PGRST1')) return new ToolError('INVALID_INPUT', message, details)
  return new ToolError('INTERNAL', `Database request failed: ${message}`, details)
}
