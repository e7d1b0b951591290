/**
 * Public types of the RLS suite: who acts, what they do, what the expectations say and what the
 * probes saw.
 */

/** Every actor of the matrix, in report order. */
export const ACTORS = ['anon', 'member', 'editor', 'viewer', 'admin', 'owner', 'outsider', 'service'] as const

/**
 * One actor, relative to the seeded workspace and its project:
 * - `anon`: the anon key, nobody signed in;
 * - `member`: workspace member (role `member`), no project role;
 * - `editor` / `viewer`: workspace member with project role `editor` / `viewer`;
 * - `admin`: workspace admin (role `admin`), no project role;
 * - `owner`: workspace owner, and owner of the project;
 * - `outsider`: owner of another workspace, no membership in this one;
 * - `service`: the service-role key (bypasses RLS).
 */
export type Actor = (typeof ACTORS)[number]

/** Actors that are signed-in users (everyone but `anon` and `service`). */
export type UserActor = Exclude<Actor, 'anon' | 'service'>

/** The signed-in actors, in report order. */
export const USER_ACTORS: readonly UserActor[] = ['member', 'editor', 'viewer', 'admin', 'owner', 'outsider']

/** The four operations of the matrix. */
export const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const

/** One operation. */
export type Operation = (typeof OPERATIONS)[number]

/** What RLS should decide. */
export type Verdict = 'allow' | 'deny'

/** What a probe saw: a verdict, or `error` when the answer was neither (a bug to look at). */
export type Observed = Verdict | 'error'

/** The verdict of every actor for one operation on one table. */
export type OperationExpectation = Readonly<Record<Actor, Verdict>>

/** Everything the suite expects of one table. */
export interface TableExpectation {
  /** The row the matrix acts on, in words (update and delete act on a twin of it per actor). */
  readonly target: string
  /** The policies (names in `pg_policies`) that decide each operation; the coverage guard reads these. */
  readonly policies: Readonly<Record<Operation, readonly string[]>>
  readonly select: OperationExpectation
  readonly insert: OperationExpectation
  readonly update: OperationExpectation
  readonly delete: OperationExpectation
}

/** The whole matrix: table name (schema `public`) -> expectation. */
export type Expectations = Readonly<Record<string, TableExpectation>>

/** One probe's result. */
export interface Observation {
  table: string
  operation: Operation
  actor: Actor
  observed: Observed
  /** How the verdict was read from the response (rows seen, error code, …). */
  detail: string
}

/** A cell where the probe disagreed with the expectations. */
export interface Mismatch {
  table: string
  operation: Operation
  actor: Actor
  expected: Verdict
  observed: Observed | 'missing'
  detail: string
}
