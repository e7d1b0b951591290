/** What every flow's steps share: the transport, the recorder, the users and their clients. */
import type { McpTransport, SuiteFixtures } from '../../../fixtures/index.ts'
import type { OperationRecorder } from './operations.ts'
import type { Actors, Pair } from './sides.ts'
import { expect, transportsFor } from '../../../fixtures/index.ts'
import { UnexpectedResultError } from './errors.ts'
import { connectActors, makePair } from './sides.ts'

/** How one registration of a flow runs. */
export interface FlowSetup {
  transport: McpTransport
  recorder: OperationRecorder
}

/** The flow's users and, for the running step, their clients. */
export interface Started extends Actors {
  pair: Pair
}

/** First step of a flow without clients: checks the transport is one the mode offers, signs in both users. */
export async function startPair({ backend, user }: Pick<SuiteFixtures, 'backend' | 'user'>, setup: FlowSetup): Promise<Pair> {
  expect(transportsFor(backend), `flowTransports() and transportsFor(backend) disagree in mode "${backend.mode}"`).toContain(setup.transport)
  const pair = await makePair(user)
  setup.recorder.noteUsers(pair.owner.id, pair.intruder.id)
  return pair
}

/** First step of a flow: `startPair`, then both users connect. */
export async function startFlow({ backend, user, mcp }: Pick<SuiteFixtures, 'backend' | 'user' | 'mcp'>, setup: FlowSetup): Promise<Started> {
  const pair = await startPair({ backend, user }, setup)
  return { pair, ...(await connectActors(mcp, pair, setup.transport, setup.recorder)) }
}

/** Later steps connect again: a client lives as long as the step that opened it. */
export function resume(mcp: SuiteFixtures['mcp'], pair: Pair, setup: FlowSetup): Promise<Actors> {
  return connectActors(mcp, pair, setup.transport, setup.recorder)
}

/** Tracks a row the server created, so cleanup removes it in every isolation (hot included). */
export function trackRow(harmful: SuiteFixtures['harmful'], table: string, id: unknown): void {
  if (typeof id !== 'string' || id === '') throw new UnexpectedResultError(`No id to track for a "${table}" row (got ${JSON.stringify(id)}); the server's result lacks it.`)
  harmful.track({ table, key: id, deleteMode: 'hard' })
}
