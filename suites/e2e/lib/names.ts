/** Names for rows the server creates on the suite's behalf. */
import { uniqueSlug } from '../../../fixtures/index.ts'

/**
 * A workspace slug under the run's prefix (`atst-<run>-`): `atoms-test sweep --run <id>` finds
 * a crashed hot run's workspaces by that prefix, so slugs chosen here must carry it too.
 */
export function runSlug(runId: string, hint: string): string {
  return uniqueSlug(runId, `e2e-${hint}`)
}

/** A word no other row contains: lowercase letters only, so full-text search keeps it whole. */
export function uniqueWord(stem: string): string {
  const letters = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => String.fromCharCode(97 + (b % 26))).join('')
  return `${stem}${letters}`
}
