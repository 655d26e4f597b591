/**
 * Coalesces calls: the first runs at once, later ones within `intervalMs` collapse into one trailing call
 * with the last arguments. `flush` runs a pending call now (a drag's end must not wait), `cancel` drops it.
 */
export interface Throttled<A extends unknown[]> {
  (...args: A): void
  flush: () => void
  cancel: () => void
}

export function throttle<A extends unknown[]> (fn: (...args: A) => void, intervalMs: number, now: () => number = Date.now): Throttled<A> {
  let last = -Infinity
  let pending: A | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const run = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    if (pending === null) return
    const args = pending
    pending = null
    last = now()
    fn(...args)
  }
  const throttled = ((...args: A) => {
    pending = args
    const wait = last + intervalMs - now()
    if (wait <= 0) run()
    else if (timer === null) timer = setTimeout(run, wait)
  }) as Throttled<A>
  throttled.flush = run
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    pending = null
  }
  return throttled
}
