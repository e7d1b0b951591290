/**
 * `auth.users` rows and their JSON form (GoTrue's `User` object). Every statement is bound;
 * callers pass the session of the transaction they run in.
 */
import type { SqlSession } from '../../sql/index.ts'

/** The columns of `auth.users` the emulator reads. */
export interface UserRow {
  id: string
  aud: string
  role: string
  email: string | null
  encrypted_password: string | null
  email_confirmed_at: Date | string | null
  phone: string | null
  raw_app_meta_data: Record<string, unknown> | null
  raw_user_meta_data: Record<string, unknown> | null
  is_anonymous: boolean
  banned_until: Date | string | null
  last_sign_in_at: Date | string | null
  created_at: Date | string
  updated_at: Date | string
  deleted_at: Date | string | null
}

const COLUMNS = `id::text as id, aud, role, email, encrypted_password, email_confirmed_at, phone,
  raw_app_meta_data, raw_user_meta_data, is_anonymous, banned_until, last_sign_in_at,
  created_at, updated_at, deleted_at`

/** The audience GoTrue puts users in unless told otherwise. */
export const DEFAULT_AUDIENCE = 'authenticated'

/** The user with this id, or undefined. */
export async function findUserById(tx: SqlSession, id: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>(`select ${COLUMNS} from auth.users where id = $1::uuid`, [id])
  return rows[0]
}

/** The user with this email (case-insensitive) in `aud`, or undefined. */
export async function findUserByEmail(tx: SqlSession, email: string, aud = DEFAULT_AUDIENCE): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>(
    `select ${COLUMNS} from auth.users where lower(email) = lower($1) and aud = $2 order by created_at limit 1`,
    [email, aud],
  )
  return rows[0]
}

/** What a new user starts with. */
export interface NewUser {
  id?: string
  email: string
  passwordHash: string | null
  userMetadata: Record<string, unknown>
  appMetadata: Record<string, unknown>
  confirmed: boolean
  role: string
  aud: string
  bannedUntil?: Date | null
}

/**
 * Inserts a user and reads it back, so values set by triggers on `auth.users` (and defaults)
 * show in the answer, as GoTrue reloads the row after inserting it.
 */
export async function insertUser(tx: SqlSession, user: NewUser): Promise<UserRow> {
  const { rows } = await tx.query<{ id: string }>(
    `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, banned_until)
     values (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, case when $6::boolean then now() end,
       $7::jsonb, $8::jsonb, $9::timestamptz)
     returning id::text as id`,
    [
      user.id ?? null,
      user.aud,
      user.role,
      user.email,
      user.passwordHash,
      user.confirmed,
      JSON.stringify(user.appMetadata),
      JSON.stringify(user.userMetadata),
      user.bannedUntil ? user.bannedUntil.toISOString() : null,
    ],
  )
  const inserted = await findUserById(tx, rows[0]!.id)
  return inserted!
}

/** The fields `updateUser` can change; absent fields stay. */
export interface UserPatch {
  email?: string
  passwordHash?: string
  /** Merged into `raw_user_meta_data`; a null value removes the key (as GoTrue does). */
  userMetadata?: Record<string, unknown>
  /** Merged into `raw_app_meta_data`, nulls removing keys. */
  appMetadata?: Record<string, unknown>
  confirm?: boolean
  role?: string
  /** A ban end, or null to lift a ban. */
  bannedUntil?: Date | null
  lastSignInAt?: boolean
}

/** Applies `patch` to the user and returns the row as stored. */
export async function updateUser(tx: SqlSession, id: string, patch: UserPatch): Promise<UserRow | undefined> {
  const sets: string[] = ['updated_at = now()']
  const params: unknown[] = [id]
  const bind = (value: unknown) => `$${params.push(value)}`
  if (patch.email !== undefined) sets.push(`email = ${bind(patch.email)}`)
  if (patch.passwordHash !== undefined) sets.push(`encrypted_password = ${bind(patch.passwordHash)}`)
  if (patch.userMetadata !== undefined) {
    sets.push(`raw_user_meta_data = ${mergeSql('raw_user_meta_data', bind(JSON.stringify(patch.userMetadata)))}`)
  }
  if (patch.appMetadata !== undefined) {
    sets.push(`raw_app_meta_data = ${mergeSql('raw_app_meta_data', bind(JSON.stringify(patch.appMetadata)))}`)
  }
  if (patch.confirm) sets.push('email_confirmed_at = coalesce(email_confirmed_at, now())')
  if (patch.role !== undefined) sets.push(`role = ${bind(patch.role)}`)
  if (patch.bannedUntil !== undefined) {
    sets.push(`banned_until = ${bind(patch.bannedUntil ? patch.bannedUntil.toISOString() : null)}::timestamptz`)
  }
  if (patch.lastSignInAt) sets.push('last_sign_in_at = now()')
  const { rowCount } = await tx.query(`update auth.users set ${sets.join(', ')} where id = $1::uuid`, params)
  return rowCount === 0 ? undefined : findUserById(tx, id)
}

// Merge a JSON object into a jsonb column, dropping keys whose new value is null.
function mergeSql(column: string, param: string): string {
  return `(select coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
    from jsonb_each(coalesce(${column}, '{}'::jsonb) || ${param}::jsonb) where value <> 'null'::jsonb)`
}

/** One page of users in `aud`, newest first, with the total count. */
export async function listUsers(
  tx: SqlSession,
  options: { page: number; perPage: number; filter?: string; aud?: string },
): Promise<{ users: UserRow[]; total: number }> {
  const params: unknown[] = [options.aud ?? DEFAULT_AUDIENCE]
  let where = 'aud = $1'
  if (options.filter) {
    params.push(`%${options.filter.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    where += ` and (email ilike $2 or raw_user_meta_data->>'full_name' ilike $2)`
  }
  const total = await tx.query<{ n: string | number }>(`select count(*) as n from auth.users where ${where}`, params)
  const offset = (options.page - 1) * options.perPage
  const limitAt = params.push(options.perPage)
  const offsetAt = params.push(offset)
  const { rows } = await tx.query<UserRow>(
    `select ${COLUMNS} from auth.users where ${where} order by created_at desc, id
     limit $${limitAt} offset $${offsetAt}`,
    params,
  )
  return { users: rows, total: Number(total.rows[0]?.n ?? 0) }
}

/** Deletes the user (sessions and refresh tokens go with it by cascade). */
export async function deleteUser(tx: SqlSession, id: string): Promise<void> {
  await tx.query('delete from auth.users where id = $1::uuid', [id])
}

/**
 * GoTrue's soft delete: the row stays with `deleted_at` set, its email and phone obfuscated,
 * its metadata and password cleared, and its sessions removed.
 */
export async function softDeleteUser(tx: SqlSession, id: string): Promise<void> {
  await tx.query(
    `update auth.users set deleted_at = now(), updated_at = now(), encrypted_password = '',
       email = case when email is null then null else 'deleted_' || md5(email || id::text) || '@deleted.invalid' end,
       phone = null, raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb
     where id = $1::uuid and deleted_at is null`,
    [id],
  )
  await tx.query('delete from auth.sessions where user_id = $1::uuid', [id])
}

/** True while the user's ban lasts. */
export function isBanned(user: UserRow): boolean {
  return user.banned_until !== null && new Date(user.banned_until).getTime() > Date.now()
}

/** The user as GoTrue's JSON `User` (what `/user`, `/admin/users` and sessions carry). */
export function userJson(user: UserRow): Record<string, unknown> {
  const confirmedAt = iso(user.email_confirmed_at)
  const appMetadata = user.raw_app_meta_data ?? {}
  const json: Record<string, unknown> = {
    id: user.id,
    aud: user.aud,
    role: user.role,
    email: user.email ?? '',
    email_confirmed_at: confirmedAt,
    phone: user.phone ?? '',
    confirmed_at: confirmedAt,
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: appMetadata,
    user_metadata: user.raw_user_meta_data ?? {},
    identities: user.email ? [identityJson(user)] : [],
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  }
  // GoTrue omits unset optional timestamps (`omitempty`).
  for (const key of ['email_confirmed_at', 'confirmed_at', 'last_sign_in_at', 'banned_until', 'deleted_at']) {
    if (json[key] === null) delete json[key]
  }
  return json
}

// The emulator keeps no auth.identities table; the email identity is derived from the user.
function identityJson(user: UserRow): Record<string, unknown> {
  return {
    identity_id: user.id,
    id: user.id,
    user_id: user.id,
    identity_data: {
      email: user.email,
      email_verified: user.email_confirmed_at !== null,
      phone_verified: false,
      sub: user.id,
    },
    provider: 'email',
    last_sign_in_at: iso(user.last_sign_in_at) ?? iso(user.created_at),
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    email: user.email,
  }
}

/** An ISO-8601 timestamp from a driver value, or null. */
export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  return (value instanceof Date ? value : new Date(value)).toISOString()
}
