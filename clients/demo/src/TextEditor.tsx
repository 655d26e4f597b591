import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import { applyTextareaEdit, transformIndex } from './textBinding.js'

const localOrigin = Symbol('demo-textarea')

/** A plain textarea shared through a Y.Text. */
export function TextEditor ({ text }: { text: Y.Text }): React.ReactElement {
  const area = useRef<HTMLTextAreaElement>(null)
  const shown = useRef('')

  useEffect(() => {
    const element = area.current!
    element.value = text.toString()
    shown.current = element.value
    const onChange = (event: Y.YTextEvent, transaction: Y.Transaction): void => {
      if (transaction.origin === localOrigin) return
      const focused = document.activeElement === element
      const start = transformIndex(event.delta, element.selectionStart)
      const end = transformIndex(event.delta, element.selectionEnd)
      element.value = text.toString()
      shown.current = element.value
      if (focused) element.setSelectionRange(start, end)
    }
    text.observe(onChange)
    return () => { text.unobserve(onChange) }
  }, [text])

  return (
    <textarea ref={area} className='demo-text' aria-label='Shared notes' spellCheck={false}
      placeholder='Notes shared with everyone on this document…'
      onInput={(e) => {
        const value = e.currentTarget.value
        applyTextareaEdit(text, shown.current, value, localOrigin)
        shown.current = value
      }} />
  )
}
