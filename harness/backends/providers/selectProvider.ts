/**
 * The cold-mode provider chain: the first provider whose probe answers wins, and the reasons
 * the earlier ones were passed over are kept so that the run can print them.
 */
import type { DatabaseProvider, ProviderName } from './types.ts'

/** No provider could run. */
export class NoProviderError extends Error {
  override name = 'NoProviderError'
  readonly code = 'NO_PROVIDER'
}

/** The chosen provider and why the ones before it were skipped. */
export interface ProviderChoice {
  provider: DatabaseProvider
  skipped: { name: ProviderName; reason: string }[]
}

/** Probes `providers` in order (or only `only`, when given) and returns the first that answers. */
export async function selectProvider(providers: DatabaseProvider[], only?: ProviderName): Promise<ProviderChoice> {
  const skipped: ProviderChoice['skipped'] = []
  const candidates = only ? providers.filter((p) => p.name === only) : providers
  if (only && candidates.length === 0) {
    throw new NoProviderError(`Unknown provider "${only}"; use one of ${providers.map((p) => `"${p.name}"`).join(', ')}.`)
  }
  for (const provider of candidates) {
    const result = await provider.probe()
    if (result.ok) return { provider, skipped }
    skipped.push({ name: provider.name, reason: result.reason })
  }
  throw new NoProviderError(
    `No database provider is available: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}.`,
  )
}
