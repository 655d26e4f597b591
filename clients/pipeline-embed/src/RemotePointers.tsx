import { ViewportPortal, useViewport } from '@xyflow/react'
import type { RemotePointer } from './presence.js'

/** Other users' pointers, placed in flow coordinates (so they point at the same spot whatever each one's pan and zoom) and drawn at a constant size. */
export function RemotePointers ({ pointers }: { pointers: RemotePointer[] }): React.ReactElement {
  const { zoom } = useViewport()
  return (
    <ViewportPortal>
      {pointers.map((p) => (
        <div key={p.clientId} className='cp-pointer' data-user={p.name}
          style={{ transform: `translate(${p.x}px, ${p.y}px) scale(${1 / zoom})` }}>
          <svg width='18' height='18' viewBox='0 0 18 18' style={{ display: 'block' }}>
            <path d='M1 1 L1 15 L5 11 L8 17 L10.5 16 L7.5 10 L13 10 Z' fill={p.color} stroke='#fff' strokeWidth='1' />
          </svg>
          <span className='cp-pointer-name' style={{ background: p.color }}>{p.name}</span>
        </div>
      ))}
    </ViewportPortal>
  )
}
