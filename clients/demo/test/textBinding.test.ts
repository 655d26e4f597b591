import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyTextareaEdit, transformIndex } from '../src/textBinding.js'

describe('textarea ↔ Y.Text', () => {
  it('writes a typed, deleted or replaced range as the smallest edit', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    const deltas: unknown[] = []
    text.observe((e) => deltas.push(e.delta))
    applyTextareaEdit(text, '', 'hello world', 'local')
    applyTextareaEdit(text, 'hello world', 'hello brave world', 'local')
    applyTextareaEdit(text, 'hello brave world', 'hello world', 'local')
    applyTextareaEdit(text, 'hello world', 'help world', 'local')
    expect(text.toString()).toBe('help world')
    expect(deltas).toEqual([
      [{ insert: 'hello world' }],
      [{ retain: 6 }, { insert: 'brave ' }],
      [{ retain: 6 }, { delete: 6 }],
      [{ retain: 3 }, { delete: 2 }, { insert: 'p' }]
    ])
  })

  it('keeps concurrent typing of two users', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    applyTextareaEdit(a.getText('t'), '', 'ac', 'local')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    applyTextareaEdit(a.getText('t'), 'ac', 'abc', 'local')
    applyTextareaEdit(b.getText('t'), 'ac', 'ac!', 'local')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    expect(a.getText('t').toString()).toBe('abc!')
    expect(b.getText('t').toString()).toBe('abc!')
  })

  it('moves the caret with remote inserts and deletes before it, and not with those after it', () => {
    expect(transformIndex([{ insert: 'xx' }], 3)).toBe(5)
    expect(transformIndex([{ retain: 3 }, { insert: 'xx' }], 3)).toBe(3)
    expect(transformIndex([{ retain: 5 }, { insert: 'xx' }], 3)).toBe(3)
    expect(transformIndex([{ delete: 2 }], 3)).toBe(1)
    expect(transformIndex([{ retain: 1 }, { delete: 5 }], 3)).toBe(1)
    expect(transformIndex([{ retain: 4 }, { delete: 5 }], 3)).toBe(3)
    expect(transformIndex([{ retain: 1 }, { delete: 1 }, { insert: 'abc' }], 3)).toBe(5)
  })
})
