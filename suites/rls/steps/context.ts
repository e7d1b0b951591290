/**
 * Types shared by the RLS suite's flow steps: the step context (the suites' fixtures plus the
 * flow's results) and what the world step hands its dependents.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { TestContext, TestAPI } from 'vitest'
import type { FlowStep, StepContext } from '../../../harness/index.ts'
import type { SuiteTest, TestUser } from '../../../fixtures/index.ts'
import type { Actor, UserActor, World } from '../lib/index.ts'

/** The fixtures of the suites' `test`. */
export type SuiteFixtures = SuiteTest extends TestAPI<infer C> ? C : never

/** What a step of the RLS flow receives. */
export type RlsStepContext = StepContext<TestContext & SuiteFixtures>

/** A step of the RLS flow. */
export type RlsStep = FlowStep<TestContext & SuiteFixtures>

/** The world step's result: the seeded rows and a client per actor. */
export interface RlsWorld {
  world: World
  users: Readonly<Record<UserActor, TestUser>>
  clients: Readonly<Record<Actor, SupabaseClient>>
}

/**
 * Reads the world step's result inside a dependent step.
 * @note Steps destructure their context (`({ results, step }) => …`): Vitest reads the first
 * parameter's source to decide which fixtures to set up.
 */
export function worldOf(context: Pick<RlsStepContext, 'results' | 'step'>): RlsWorld {
  const value = context.results.world as RlsWorld | undefined
  if (!value) throw new Error(`Step "${context.step}" must depend on "world"; add it to dependsOn.`)
  return value
}
