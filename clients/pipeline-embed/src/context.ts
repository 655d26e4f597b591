import { createContext } from 'react'
import type { RemoteUser } from './presence.js'

export interface PipelineActions {
  rename: (id: string, label: string) => void
  readOnly: boolean
}

export const PipelineActionsContext = createContext<PipelineActions>({ rename: () => {}, readOnly: true })

/** node id → the other users who have it selected */
export const RemoteSelectionsContext = createContext<ReadonlyMap<string, RemoteUser[]>>(new Map())
