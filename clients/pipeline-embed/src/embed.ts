// The single-script embed: <script src="collab-pipeline.js"></script> defines window.CollabPipeline.
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { CollabPipeline, type CollabPipelineProps } from './CollabPipeline.js'

export type MountOptions = CollabPipelineProps

export interface MountedPipeline {
  unmount: () => void
}

/** Renders the editor into `element` (which should have a height); `unmount` closes the connection and empties it. */
export function mount (element: HTMLElement, options: MountOptions): MountedPipeline {
  if (!(element instanceof HTMLElement)) throw new TypeError('CollabPipeline.mount needs a DOM element to render into')
  if (typeof options?.workspace !== 'string' || typeof options.document !== 'string') {
    throw new TypeError('CollabPipeline.mount needs options.workspace and options.document (strings)')
  }
  const user = options.user ?? { name: 'Guest', color: '#1c7ed6' }
  const root = createRoot(element)
  root.render(createElement(CollabPipeline, { ...options, user }))
  let mounted = true
  return {
    unmount: () => {
      if (!mounted) return
      mounted = false
      root.unmount()
    }
  }
}

export const version = '0.1.0'
