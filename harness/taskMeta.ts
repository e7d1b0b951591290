/**
 * The plain-JSON records the harness puts on `task.meta`, so reporters, the CLI and the
 * harness's own tests can read what happened. Live state never goes here (see `internal/`).
 */
import type { HarmfulTracker } from './harmful/HarmfulTracker.ts'

/** Which modes a test or suite declared it needs (`onlyIn`) or cannot run in (`skipIn`). */
export interface ModeGuardMeta {
  /** The test runs only in these modes. */
  only?: string[]
  /** The test is skipped in these modes. */
  except?: string[]
  /** Why, shown after the mode in the skip note. */
  reason?: string
}

/** One row that cleanup could not remove. */
export interface Leak {
  table: string
  key: unknown
  reason: string
}

/** What one cleanup scope (a test, a flow, or rows tracked too late) did at its end. */
export interface HarmfulReport {
  /**
   * `test`: one plain test; `flow`: a whole cascade flow; `suite`: rows tracked in a suite's
   * `beforeAll`; `late`: rows tracked after their scope had closed (a timed-out test body).
   */
  scope: 'test' | 'flow' | 'suite' | 'late'
  tracked: number
  deleted: number
  /** Rows the deleter no longer found (the test removed them itself). */
  missing: number
  /** Rows left to the isolation unit's rollback instead of being deleted. */
  rolledBack: number
  leaks: Leak[]
  durationMs: number
}

/** On a flow step: how many rows it handed to its flow, which deletes them when the flow ends. */
export interface HarmfulStepMeta {
  scope: 'flow-step'
  handedToFlow: number
}

/** A flow step's identity and planned position. */
export interface StepMeta {
  id: string
  dependsOn: string[]
  /** 0-based phase: every step of a phase depends only on steps of earlier phases. */
  phase: number
  /** Position in the flow's run order. */
  index: number
  /** Where the step was defined (`file:line:column`). */
  location: string
  /** Set when the step did not run normally because of its dependencies. */
  blocked?: string
}

declare module 'vitest' {
  interface TaskMeta {
    /** Name of the cascade flow this suite or step belongs to. */
    flow?: string
    /** On a flow step. */
    step?: StepMeta
    /** Cleanup outcome of a test, a flow suite (whole flow) or a file (`late` rows). */
    harmful?: HarmfulReport | HarmfulStepMeta
    /** Mode requirements declared with `onlyIn` / `skipIn`. */
    modeGuard?: ModeGuardMeta
  }
  interface TestContext {
    /** The cleanup tracker of this test (or of its flow), provided by the atoms-test runner. */
    harmful: HarmfulTracker
  }
}
