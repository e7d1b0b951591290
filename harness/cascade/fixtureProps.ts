/**
 * Vitest decides which fixtures a test needs by reading the source of the test function's
 * first parameter (`({ sql, harmful }) => …`). The harness wraps step functions, and a
 * wrapper's own source would hide what the step destructures, so the wrapper presents the
 * step's source instead. Vitest's own wrappers do the same through a private symbol.
 */

/** Makes `wrapper` report `original`'s source, so Vitest sees the fixtures `original` uses. */
export function delegateFixtureProps<W extends Function>(wrapper: W, original: Function): W {
  Object.defineProperty(wrapper, 'toString', { value: () => original.toString(), configurable: true })
  return wrapper
}
