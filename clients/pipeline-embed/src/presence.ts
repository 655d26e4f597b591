// What this editor keeps in each client's awareness state, and how it reads other clients' states.
//   user:      { name, color }             who this is (shared with any other editor on the page)
//   pointer:   { x, y } | null             the mouse in flow coordinates, null when it left the canvas
//   selection: string[]                    ids of the nodes this user has selected

export interface PipelineUser {
  name: string
  color: string
}

export interface RemoteUser extends PipelineUser {
  clientId: number
}

export interface RemotePointer extends RemoteUser {
  x: number
  y: number
}

export const palette = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#5c7cfa'] as const

export function colorFor (seed: number): string {
  return palette[Math.abs(seed) % palette.length]!
}

/** A user field another client wrote, made safe to render (missing or odd values get defaults). */
export function readUser (clientId: number, state: Record<string, unknown>): RemoteUser {
  const user = (typeof state.user === 'object' && state.user !== null ? state.user : {}) as Record<string, unknown>
  const name = typeof user.name === 'string' && user.name.trim() !== '' ? user.name.slice(0, 64) : `User ${clientId % 1000}`
  const color = typeof user.color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(user.color) ? user.color : colorFor(clientId)
  return { clientId, name, color }
}

export function readPointer (clientId: number, state: Record<string, unknown>): RemotePointer | null {
  const pointer = state.pointer as { x?: unknown, y?: unknown } | null | undefined
  if (pointer == null || typeof pointer.x !== 'number' || typeof pointer.y !== 'number' ||
    !Number.isFinite(pointer.x) || !Number.isFinite(pointer.y)) return null
  return { ...readUser(clientId, state), x: pointer.x, y: pointer.y }
}

export function readSelection (state: Record<string, unknown>): string[] {
  return Array.isArray(state.selection) ? state.selection.filter((id): id is string => typeof id === 'string') : []
}

export function initials (name: string): string {
  const parts = name.trim().split(/\s+/).filter((p) => p.length > 0)
  const letters = parts.length > 1 ? parts[0]![0]! + parts[1]![0]! : (parts[0] ?? '?').slice(0, 2)
  return letters.toUpperCase()
}
