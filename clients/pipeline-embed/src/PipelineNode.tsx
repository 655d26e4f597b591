import { memo, useContext, useEffect, useRef, useState } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { FlowNode } from './binding.js'
import { PipelineActionsContext, RemoteSelectionsContext } from './context.js'

/** One pipeline step: kind, label (double-click to rename), handles by kind, and who else has it selected. */
export const PipelineNode = memo(function PipelineNode ({ id, data }: NodeProps<FlowNode>) {
  const { rename, readOnly } = useContext(PipelineActionsContext)
  const selectors = useContext(RemoteSelectionsContext).get(id) ?? []
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(data.label)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => { if (editing) input.current?.select() }, [editing])

  const commit = (): void => {
    setEditing(false)
    const label = draft.trim()
    if (label !== '' && label !== data.label) rename(id, label)
  }

  const outline = selectors[0]?.color
  return (
    <div className='cp-node' data-kind={data.kind}
      style={outline !== undefined ? { boxShadow: `0 0 0 2px ${outline}` } : undefined}
      onDoubleClick={(e) => {
        if (readOnly) return
        e.stopPropagation()
        setDraft(data.label)
        setEditing(true)
      }}>
      {data.kind !== 'source' && <Handle type='target' position={Position.Left} />}
      <div className='cp-node-kind'>{data.kind}</div>
      {editing
        ? <input ref={input} type='text' className='nodrag' aria-label='Node name' value={draft}
            onChange={(e) => { setDraft(e.target.value) }}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit()
              if (e.key === 'Escape') setEditing(false)
              e.stopPropagation()
            }} />
        : <div className='cp-node-label'>{data.label}</div>}
      {selectors.length > 0 && (
        <div className='cp-selectors'>
          {selectors.map((u) => <span key={u.clientId} className='cp-selector' style={{ background: u.color }}>{u.name}</span>)}
        </div>
      )}
      {data.kind !== 'sink' && <Handle type='source' position={Position.Right} />}
    </div>
  )
})
