/**
 * Sessions and refresh tokens in `auth.sessions` / `auth.refresh_tokens`, the way GoTrue keeps
 * them (its v1 tokens): each sign-in opens a session with one refresh token; a refresh revokes
 * the token and issues a child; reusing an old token revokes every token of the session.
 */
import type { SqlSession } from '../../sql/index.ts'
import { randomInt } from 'node:crypto'

/** One `auth.sessions` row. */
export interface SessionRow {
  id: string
  user_id: string
  aal: string
  created_at: Date | string
  not_after: Date | string | null
}

/** One `auth.refresh_tokens` row, with its session's end. */
export interface RefreshTokenRow {
  id: string
  token: string
  user_id: string
  session_id: string | null
  parent: string | null
  revoked: boolean
  updated_at: Date | string
  /** Null when the token has no session (or it is gone). */
  session_not_after: Date | string | null
  session_exists: boolean
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A refresh token as GoTrue's v1 tokens look: 12 characters of [a-z0-9]. */
export function newRefreshToken(): string {
  let token = ''
  for (let i = 0; i < 12; i++) token += ALPHABET[randomInt(ALPHABET.length)]
  return token
}

/** True when `token` has the shape of a refresh token this emulator issues. */
export function isRefreshTokenShape(token: unknown): token is string {
  return typeof token === 'string' && /^[a-z0-9]{12}$/.test(token)
}

/** Opens a session for the user and issues its first refresh token. */
export async function openSession(tx: SqlSession, userId: string): Promise<{ session: SessionRow; refreshToken: string }> {
  const { rows } = await tx.query<SessionRow>(
    `insert into auth.sessions (user_id) values ($1::uuid)
     returning id::text as id, user_id::text as user_id, aal, created_at, not_after`,
    [userId],
  )
  const session = rows[0]!
  const refreshToken = await insertRefreshToken(tx, userId, session.id, null)
  return { session, refreshToken }
}

/** The session with this id, or undefined. */
export async function findSession(tx: SqlSession, id: string): Promise<SessionRow | undefined> {
  const { rows } = await tx.query<SessionRow>(
    `select id::text as id, user_id::text as user_id, aal, created_at, not_after from auth.sessions where id = $1::uuid`,
    [id],
  )
  return rows[0]
}

/** The refresh token row (locked for update), or undefined. */
export async function findRefreshToken(tx: SqlSession, token: string): Promise<RefreshTokenRow | undefined> {
  const { rows } = await tx.query<RefreshTokenRow>(
    `select t.id::text as id, t.token, t.user_id::text as user_id, t.session_id::text as session_id, t.parent,
       t.revoked, t.updated_at, s.not_after as session_not_after, (s.id is not null) as session_exists
     from auth.refresh_tokens t left join auth.sessions s on s.id = t.session_id
     where t.token = $1 for update of t`,
    [token],
  )
  return rows[0]
}

/** The newest unrevoked token of the session, or undefined. */
export async function activeRefreshToken(tx: SqlSession, sessionId: string): Promise<{ token: string; parent: string | null } | undefined> {
  const { rows } = await tx.query<{ token: string; parent: string | null }>(
    `select token, parent from auth.refresh_tokens where session_id = $1::uuid and not revoked
     order by id desc limit 1`,
    [sessionId],
  )
  return rows[0]
}

/** Revokes `token` and issues its child in the same session (a rotation). */
export async function rotateRefreshToken(tx: SqlSession, token: RefreshTokenRow): Promise<string> {
  await tx.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1::bigint', [token.id])
  if (token.session_id) {
    await tx.query('update auth.sessions set updated_at = now() where id = $1::uuid', [token.session_id])
  }
  return insertRefreshToken(tx, token.user_id, token.session_id, token.token)
}

/** Revokes every unrevoked token of the session (GoTrue's answer to a reused token). */
export async function revokeTokenFamily(tx: SqlSession, sessionId: string): Promise<void> {
  await tx.query(
    'update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1::uuid and not revoked',
    [sessionId],
  )
}

/** Which sessions a logout ends. */
export type LogoutScope = 'global' | 'local' | 'others'

/** Ends sessions of the user (their refresh tokens go by cascade). */
export async function logout(tx: SqlSession, userId: string, sessionId: string | undefined, scope: LogoutScope): Promise<void> {
  if (sessionId && scope === 'local') {
    await tx.query('delete from auth.sessions where id = $1::uuid', [sessionId])
  } else if (sessionId && scope === 'others') {
    await tx.query('delete from auth.sessions where user_id = $1::uuid and id <> $2::uuid', [userId, sessionId])
  } else {
    await tx.query('delete from auth.sessions where user_id = $1::uuid', [userId])
  }
}

async function insertRefreshToken(tx: SqlSession, userId: string, sessionId: string | null, parent: string | null): Promise<string> {
  const token = newRefreshToken()
  await tx.query(
    'insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2::uuid, $3::uuid, $4)',
    [token, userId, sessionId, parent],
  )
  return token
}
