/**
 * The world step: signs in one user per actor (through the `user` fixture, so hot runs sign in
 * for real), makes the fellow member through the admin API, and seeds the probe world with the
 * service role. Every row is tracked by harmful() and lives until the flow ends.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { TestUser } from '../../../fixtures/index.ts'
import type { RlsStep, RlsWorld } from './context.ts'
import type { Actor, UserActor } from '../lib/index.ts'
import { runPrefix } from '../../../harness/backends/hotConfig.ts'
import { SeedError, USER_ACTORS, seedWorld } from '../lib/index.ts'

/** Builds the world; the flow's other steps read it with `worldOf()`. */
export const worldStep: RlsStep = {
  id: 'world',
  timeout: 180_000,
  run: async ({ backend, user, service, anon, harmful }): Promise<RlsWorld> => {
    const prefix = runPrefix(backend.runId)
    // Users sign up concurrently: password hashing runs off the main thread.
    const signedIn = await Promise.all(USER_ACTORS.map(async (actor) => [actor, await user()] as const))
    const users = Object.fromEntries(signedIn) as Record<UserActor, TestUser>

    const fellowEmail = `${prefix}rls-fellow-${crypto.randomUUID().slice(0, 8)}@example.test`
    const created = await service.auth.admin.createUser({ email: fellowEmail, email_confirm: true })
    if (created.error || !created.data.user) throw new SeedError('auth.users', `fellow "${fellowEmail}": ${created.error?.message}`)
    const fellow = { id: created.data.user.id, email: fellowEmail }
    harmful.track({ table: 'auth.users', key: fellow.id, deleteMode: 'hard' })

    const world = await seedWorld({
      service,
      people: { ...users, fellow },
      prefix,
      track: (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' }),
    })
    const clients = Object.fromEntries([
      ['anon', anon],
      ['service', service],
      ...USER_ACTORS.map((actor) => [actor, users[actor].client]),
    ]) as Record<Actor, SupabaseClient>
    return { world, users, clients }
  },
}
