import flowCss from '@xyflow/react/dist/style.css?inline'

// The editor's own look; everything is scoped under .collab-pipeline so it cannot restyle the host page.
const editorCss = `
.collab-pipeline { display: flex; width: 100%; height: 100%; min-height: 320px; font: 13px/1.4 system-ui, sans-serif; color: #212529; background: #fff; }
.collab-pipeline .cp-canvas { position: relative; flex: 1; min-width: 0; }
.collab-pipeline .cp-toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; background: rgba(255,255,255,.92); padding: 6px; border: 1px solid #dee2e6; border-radius: 8px; }
.collab-pipeline button { font: inherit; padding: 3px 9px; border: 1px solid #ced4da; border-radius: 6px; background: #f8f9fa; cursor: pointer; }
.collab-pipeline button:hover { background: #e9ecef; }
.collab-pipeline button:disabled { opacity: .5; cursor: default; }
.collab-pipeline input[type=text] { font: inherit; padding: 3px 6px; border: 1px solid #ced4da; border-radius: 6px; }
.collab-pipeline .cp-notice { color: #c92a2a; }
.collab-pipeline .cp-node { min-width: 120px; padding: 8px 12px; border-radius: 8px; border: 1px solid #adb5bd; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); position: relative; }
.collab-pipeline .cp-node[data-kind=source] { border-left: 5px solid #2f9e44; }
.collab-pipeline .cp-node[data-kind=transform] { border-left: 5px solid #1c7ed6; }
.collab-pipeline .cp-node[data-kind=sink] { border-left: 5px solid #e8590c; }
.collab-pipeline .react-flow__node.selected .cp-node { border-color: #495057; box-shadow: 0 0 0 2px #495057; }
.collab-pipeline .cp-node-kind { font-size: 10px; text-transform: uppercase; letter-spacing: .06em; color: #868e96; }
.collab-pipeline .cp-node-label { font-weight: 600; white-space: nowrap; }
.collab-pipeline .cp-node input { width: 140px; }
.collab-pipeline .cp-selectors { position: absolute; top: -18px; right: -2px; display: flex; gap: 2px; }
.collab-pipeline .cp-selector { font-size: 10px; color: #fff; padding: 0 5px; border-radius: 4px; white-space: nowrap; }
.collab-pipeline .cp-pointer { position: absolute; left: 0; top: 0; pointer-events: none; transform-origin: 0 0; z-index: 10; }
.collab-pipeline .cp-pointer-name { display: inline-block; margin-left: 12px; margin-top: -4px; padding: 1px 6px; border-radius: 4px; color: #fff; font-size: 12px; white-space: nowrap; }
.collab-pipeline .cp-avatars { display: flex; gap: 4px; }
.collab-pipeline .cp-avatar { width: 28px; height: 28px; border-radius: 50%; color: #fff; display: flex; align-items: center; justify-content: center; font-weight: 600; font-size: 11px; border: 2px solid #fff; box-shadow: 0 0 0 1px #dee2e6; }
.collab-pipeline .cp-history { width: 250px; border-left: 1px solid #dee2e6; padding: 10px; overflow-y: auto; background: #f8f9fa; }
.collab-pipeline .cp-history h3 { margin: 0 0 8px; font-size: 14px; }
.collab-pipeline .cp-history form { display: flex; gap: 4px; margin-bottom: 8px; }
.collab-pipeline .cp-history form input { flex: 1; min-width: 0; }
.collab-pipeline .cp-history ul { list-style: none; margin: 0; padding: 0; }
.collab-pipeline .cp-snapshot { padding: 6px 0; border-bottom: 1px solid #e9ecef; display: flex; justify-content: space-between; gap: 6px; align-items: center; }
.collab-pipeline .cp-snapshot-meta { font-size: 11px; color: #868e96; }
.collab-pipeline .cp-history-status { font-size: 12px; color: #2b8a3e; margin: 6px 0; }
.collab-pipeline .cp-history-error { font-size: 12px; color: #c92a2a; margin: 6px 0; word-break: break-word; }
`

const styleId = 'collab-pipeline-styles'

/** Adds the editor's CSS (React Flow's and its own) to the document once, so the embed needs no stylesheet link. */
export function ensureStyles (target: Document = document): void {
  if (target.getElementById(styleId) !== null) return
  const style = target.createElement('style')
  style.id = styleId
  style.textContent = flowCss + editorCss
  target.head.appendChild(style)
}
