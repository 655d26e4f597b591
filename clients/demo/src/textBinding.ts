// A plain <textarea> bound to a Y.Text: local input becomes the smallest delete + insert, and remote
// changes move the caret the way they moved the text around it.
import type * as Y from 'yjs'

/** Writes the edit that turns `before` into `after` (one changed range) into `text`. */
export function applyTextareaEdit (text: Y.Text, before: string, after: string, origin: unknown): void {
  if (before === after) return
  let start = 0
  const max = Math.min(before.length, after.length)
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--
    endAfter--
  }
  text.doc!.transact(() => {
    if (endBefore > start) text.delete(start, endBefore - start)
    if (endAfter > start) text.insert(start, after.slice(start, endAfter))
  }, origin)
}

type Delta = Array<{ insert?: unknown, delete?: number, retain?: number }>

/**
 * Where a caret at `index` ends up after a remote change described by `delta` (a Y.Text event's delta over
 * the old text). Text inserted right at the caret goes after it, as in other editors.
 */
export function transformIndex (delta: Delta, index: number): number {
  let oldPosition = 0
  let shift = 0
  for (const op of delta) {
    if (oldPosition > index) break
    if (op.retain !== undefined) {
      oldPosition += op.retain
    } else if (op.insert !== undefined) {
      if (oldPosition < index) shift += typeof op.insert === 'string' ? op.insert.length : 1
    } else if (op.delete !== undefined) {
      shift -= Math.max(0, Math.min(op.delete, index - oldPosition))
      oldPosition += op.delete
    }
  }
  return index + shift
}
