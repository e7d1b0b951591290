/**
 * The two users of every flow: the owner works in a workspace of its own, the intruder — who
 * has a workspace of its own too, the personal one every sign-up gets — probes the owner's.
 */
import type { McpTransport, SuiteFixtures, TestUser } from '../../../fixtures/index.ts'
import type { OperationRecorder } from './operations.ts'
import { Actor } from './Actor.ts'

/** The users of one flow. */
export interface Pair {
  owner: TestUser
  intruder: TestUser
}

/** The users of one flow with, for the running step, their clients. */
export interface Actors {
  owner: Actor
  intruder: Actor
}

/** Signs in the flow's two users (tracked by harmful() for the whole flow). */
export async function makePair(user: SuiteFixtures['user']): Promise<Pair> {
  const [owner, intruder] = await Promise.all([user({ metadata: { full_name: 'Olivia Owner' } }), user({ metadata: { full_name: 'Ivan Intruder' } })])
  return { owner, intruder }
}

/** Connects both users over `transport`; the clients stay open for the file, so later steps reuse them. */
export async function connectActors(mcp: SuiteFixtures['mcp'], pair: Pair, transport: McpTransport, recorder: OperationRecorder): Promise<Actors> {
  const [owner, intruder] = await Promise.all([mcp(pair.owner, transport, { keep: 'file' }), mcp(pair.intruder, transport, { keep: 'file' })])
  return {
    owner: new Actor('owner', pair.owner, owner, transport, recorder),
    intruder: new Actor('intruder', pair.intruder, intruder, transport, recorder),
  }
}
