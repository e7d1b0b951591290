/**
 * GoTrue's admin user API (`/admin/users`), open to the service key only: list, create, read,
 * update and delete users, as `supabase.auth.admin.*` calls them.
 */
import type { AuthEnv } from './config.ts'
import type { UserRow } from './users.ts'
import { randomBytes } from 'node:crypto'
import { sqlState } from '../../sql/index.ts'
import { GoTrueError, badRequest, notFound, unexpected, unprocessable } from './errors.ts'
import { isUuid, objectParam, parseGoDuration, readParams, requireAdmin, stringParam, validateEmail } from './guards.ts'
import { hashPassword } from './password.ts'
import {
  DEFAULT_AUDIENCE,
  deleteUser,
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  softDeleteUser,
  updateUser,
  userJson,
} from './users.ts'

const DUPLICATE_EMAIL = 'A user with this email address has already been registered'
const SUPPORTED_HASH = /^(\$scrypt\$|\$2[aby]\$)/

/** `GET /admin/users?page=&per_page=&filter=`: newest first, with `X-Total-Count` and `Link`. */
export async function adminListUsers(env: AuthEnv): Promise<Response> {
  await requireAdmin(env)
  const page = pageParam(env.url.searchParams.get('page'), 1)
  const perPage = pageParam(env.url.searchParams.get('per_page'), 50)
  const filter = env.url.searchParams.get('filter') ?? ''
  const { users, total } = await env.ctx.db.transaction((tx) => listUsers(tx, { page, perPage, filter }))
  const headers = new Headers({ 'X-Total-Count': String(total) })
  headers.set('Link', paginationLink(env.url, page, perPage, total))
  return Response.json({ users: users.map(userJson), aud: DEFAULT_AUDIENCE }, { headers })
}

/** `POST /admin/users`: creates a user; `email_confirm` confirms it, no password gets a random one. */
export async function adminCreateUser(env: AuthEnv): Promise<Response> {
  await requireAdmin(env)
  const params = await readParams(env)
  let email = stringParam(params, 'email')
  const phone = stringParam(params, 'phone')
  const password = params.password === undefined || params.password === null ? undefined : stringParam(params, 'password')
  const passwordHashParam = stringParam(params, 'password_hash')
  const id = stringParam(params, 'id')
  if (email === '' && phone === '') {
    throw badRequest('validation_failed', 'Cannot create a user without either an email or phone')
  }
  if (phone !== '') throw badRequest('validation_failed', 'Phone users are not supported by the emulator; create the user with an email')
  email = validateEmail(email)
  if (password !== undefined && passwordHashParam !== '') {
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided')
  }
  if (passwordHashParam !== '' && !SUPPORTED_HASH.test(passwordHashParam)) {
    throw badRequest('validation_failed', 'Invalid password hash format: the emulator accepts scrypt and bcrypt hashes')
  }
  if (id !== '' && !isUuid(id)) throw badRequest('validation_failed', 'ID must conform to the uuid v4 format')
  if (id === '00000000-0000-0000-0000-000000000000') throw badRequest('validation_failed', 'ID cannot be a nil uuid')
  const bannedUntil = banEnd(stringParam(params, 'ban_duration'))
  const passwordHash =
    passwordHashParam !== ''
      ? passwordHashParam
      : await hashPassword(password || randomBytes(24).toString('base64url'), env.config.scryptLogN)
  const user = await env.ctx.db
    .transaction(async (tx) => {
      if (await findUserByEmail(tx, email)) throw unprocessable('email_exists', DUPLICATE_EMAIL)
      return insertUser(tx, {
        id: id || undefined,
        email,
        passwordHash,
        userMetadata: objectParam(params, 'user_metadata') ?? {},
        appMetadata: { provider: 'email', providers: ['email'], ...objectParam(params, 'app_metadata') },
        confirmed: params.email_confirm === true,
        role: stringParam(params, 'role') || 'authenticated',
        aud: stringParam(params, 'aud') || DEFAULT_AUDIENCE,
        bannedUntil: bannedUntil ?? null,
      })
    })
    .catch(databaseError('Database error creating new user'))
  return Response.json(userJson(user))
}

/** `GET /admin/users/<id>`. */
export async function adminGetUser(env: AuthEnv): Promise<Response> {
  await requireAdmin(env)
  const user = await env.ctx.db.transaction((tx) => loadUser(tx, env.params.id))
  return Response.json(userJson(user))
}

/** `PUT /admin/users/<id>`: email, password, metadata (merged), role, confirmation, ban. */
export async function adminUpdateUser(env: AuthEnv): Promise<Response> {
  await requireAdmin(env)
  const params = await readParams(env)
  let email = stringParam(params, 'email')
  const password = params.password === undefined || params.password === null ? undefined : stringParam(params, 'password')
  if (email !== '') email = validateEmail(email)
  if (stringParam(params, 'phone') !== '') {
    throw badRequest('validation_failed', 'Phone numbers are not supported by the emulator')
  }
  const bannedUntil = banEnd(stringParam(params, 'ban_duration'))
  const passwordHash = password ? await hashPassword(password, env.config.scryptLogN) : undefined
  const user = await env.ctx.db
    .transaction(async (tx) => {
      const current = await loadUser(tx, env.params.id)
      if (email !== '' && email !== current.email) {
        const other = await findUserByEmail(tx, email)
        if (other && other.id !== current.id) throw unprocessable('email_exists', DUPLICATE_EMAIL)
      }
      return updateUser(tx, current.id, {
        email: email || undefined,
        passwordHash,
        userMetadata: objectParam(params, 'user_metadata'),
        appMetadata: objectParam(params, 'app_metadata'),
        confirm: params.email_confirm === true,
        role: stringParam(params, 'role') || undefined,
        bannedUntil,
      })
    })
    .catch(databaseError('Database error updating user'))
  return Response.json(userJson(user!))
}

/** `DELETE /admin/users/<id>` (body `{should_soft_delete}`): answers `{}`. */
export async function adminDeleteUser(env: AuthEnv): Promise<Response> {
  await requireAdmin(env)
  const params = await readParams(env, true)
  await env.ctx.db
    .transaction(async (tx) => {
      const user = await loadUser(tx, env.params.id)
      if (params.should_soft_delete === true) await softDeleteUser(tx, user.id)
      else await deleteUser(tx, user.id)
    })
    .catch(databaseError('Database error deleting user'))
  return Response.json({})
}

async function loadUser(tx: Parameters<typeof findUserById>[0], id: string | undefined): Promise<UserRow> {
  if (!isUuid(id)) throw notFound('validation_failed', 'user_id must be an UUID')
  const user = await findUserById(tx, id)
  if (!user) throw notFound('user_not_found', 'User not found')
  return user
}

/** The ban end for a Go duration, null for "none", undefined when not given. */
function banEnd(duration: string): Date | null | undefined {
  if (duration === '') return undefined
  if (duration === 'none') return null
  return new Date(Date.now() + parseGoDuration(duration))
}

function pageParam(value: string | null, fallback: number): number {
  if (value === null || value === '') return fallback
  if (!/^\d+$/.test(value)) {
    throw badRequest('validation_failed', `Bad Pagination Parameters: strconv.ParseUint: parsing "${value}": invalid syntax`)
  }
  return Math.max(Number(value), 1)
}

/** GoTrue's `Link` header: `<…?page=2&per_page=50>; rel="next", <…?page=N&per_page=50>; rel="last"`. */
function paginationLink(url: URL, page: number, perPage: number, total: number): string {
  const totalPages = Math.ceil(total / perPage)
  // auth-js reads the page number right after the first "=", so `page` must come first.
  const link = (p: number) => `<${url.pathname}?page=${p}&per_page=${perPage}>`
  const next = totalPages > page ? `${link(page + 1)}; rel="next", ` : ''
  return `${next}${link(totalPages)}; rel="last"`
}

/** Maps a database failure (a trigger, a foreign key) to GoTrue's generic 500; rethrows the rest. */
function databaseError(message: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof GoTrueError || sqlState(error) === undefined) throw error
    throw unexpected(message, error)
  }
}
