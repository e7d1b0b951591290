/**
 * The two users of every flow. Each owns one workspace; in every step both act in their own
 * workspace while the other one probes it, so RLS is checked in both directions.
 */
import type { McpTransport, SuiteFixtures, TestUser } from '../../../fixtures/index.ts'
import type { OperationRecorder } from './operations.ts'
import { Actor } from './Actor.ts'

/** The users of one flow. */
export interface Pair {
  alice: TestUser
  bob: TestUser
}

/** One direction of a step: `owner` works in its own workspace while `intruder` probes it. */
export interface Side {
  owner: Actor
  intruder: Actor
  /** 0 for alice's workspace, 1 for bob's. */
  index: 0 | 1
}

/** A value per side: `[alice's, bob's]`. */
export type Both<T> = [T, T]

/** Signs in the flow's two users (tracked by harmful() for the whole flow). */
export async function makePair(user: SuiteFixtures['user']): Promise<Pair> {
  const [alice, bob] = await Promise.all([user({ metadata: { full_name: 'Alice' } }), user({ metadata: { full_name: 'Bob' } })])
  return { alice, bob }
}

/** Connects both users over `transport` (one client each, closed when the step ends). */
export async function connectSides(mcp: SuiteFixtures['mcp'], pair: Pair, transport: McpTransport, recorder: OperationRecorder): Promise<Both<Side>> {
  const [a, b] = await Promise.all([mcp(pair.alice, transport), mcp(pair.bob, transport)])
  const alice = new Actor('alice', pair.alice, a, transport, recorder)
  const bob = new Actor('bob', pair.bob, b, transport, recorder)
  return [
    { owner: alice, intruder: bob, index: 0 },
    { owner: bob, intruder: alice, index: 1 },
  ]
}

/**
 * Runs `step` for both sides at once. The sides touch disjoint rows (each owner only its own
 * workspace, each intruder only refused writes), so the service-role snapshots stay exact.
 */
export async function eachSide<R>(sides: Both<Side>, step: (side: Side) => Promise<R>): Promise<Both<R>> {
  const [a, b] = await Promise.all([step(sides[0]), step(sides[1])])
  return [a, b]
}
