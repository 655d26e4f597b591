// Puts the single-script embed (built by pipeline-embed) beside the demo, at wwwroot/embed/collab-pipeline.js.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const source = fileURLToPath(new URL('../pipeline-embed/dist/collab-pipeline.js', import.meta.url))
const target = fileURLToPath(new URL('../../src/Collab.Server/wwwroot/embed/', import.meta.url))
if (!existsSync(source)) {
  console.error(`${source} is missing: build @collab/pipeline-embed first (npm run build in clients/ does both)`)
  process.exit(1)
}
mkdirSync(target, { recursive: true })
copyFileSync(source, target + 'collab-pipeline.js')
console.log(`copied the embed to ${target}collab-pipeline.js`)
