// The demo in a real browser: Debian's Chromium (driven by playwright-core) against a real Collab.Server
// serving the committed demo. Two browser contexts (two users, no shared storage) open the same document.
// The steps build on each other and run in order.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../testing/server.js'

const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const documentName = `e2e-${process.pid}-${Date.now()}`

let server: TestServer
let browser: Browser
const contexts: BrowserContext[] = []
let ada: Page
let grace: Page
const pageErrors: string[] = []

async function openDemo (name: string, color: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } })
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`${name} console: ${m.text()}`)
  })
  page.on('response', (r) => { if (r.status() >= 400) pageErrors.push(`${name}: ${r.request().method()} ${r.url()} answered ${r.status()}`) })
  const query = new URLSearchParams({ workspace: 'e2e', doc: documentName, name, color })
  await page.goto(`${server.url}/?${query.toString()}`)
  await page.locator('[data-status=connected]').waitFor({ timeout: 20_000 })
  await page.locator('.react-flow__pane').waitFor()
  return page
}

const nodes = (page: Page) => page.locator('.react-flow__node')
const nodeByLabel = (page: Page, label: string) => page.locator('.react-flow__node', { has: page.locator('.cp-node-label', { hasText: new RegExp(`^${label}$`) }) })

/** A node's position in flow coordinates, from React Flow's transform on it. */
async function flowPosition (page: Page, id: string): Promise<{ x: number, y: number }> {
  const transform = await page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => (el as HTMLElement).style.transform)
  const match = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform)
  if (match === null) throw new Error(`node ${id} has no translate transform: '${transform}'`)
  return { x: Number(match[1]), y: Number(match[2]) }
}

async function center (page: Page, selector: string): Promise<{ x: number, y: number }> {
  const box = await page.locator(selector).first().boundingBox()
  if (box === null) throw new Error(`${selector} is not visible`)
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

async function drag (page: Page, from: { x: number, y: number }, to: { x: number, y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(from.x + 5, from.y + 5, { steps: 2 })
  await page.mouse.move(to.x, to.y, { steps: 15 })
  await page.mouse.up()
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true })
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`)
  }
  server = await startServer({ storage: 'memory' })
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
  })
  ada = await openDemo('Ada', '#e8590c')
  grace = await openDemo('Grace', '#1c7ed6')
})

afterAll(async () => {
  // screenshots of both pages whatever happened, so a failure can be looked at
  for (const [name, page] of [['ada', ada], ['grace', grace]] as const) {
    if (page === undefined) continue
    const path = join(artifacts, `demo-${name}-final.png`)
    await page.screenshot({ path }).then(() => { console.log(`screenshot: ${path}`) }, (e: unknown) => { console.log(`no screenshot of ${name}: ${String(e)}`) })
  }
  if (pageErrors.length > 0) console.log(`browser errors:\n${pageErrors.join('\n')}`)
  for (const context of contexts) await context.close().catch(() => undefined)
  await browser?.close()
  await server?.stop()
})

describe('the demo in two browsers', () => {
  let sourceId = ''
  let sinkId = ''

  it('serves the demo at / and shows each user the other in the presence avatars', async () => {
    await ada.locator('.cp-avatar[data-user="Grace"]').waitFor({ timeout: 10_000 })
    await grace.locator('.cp-avatar[data-user="Ada"]').waitFor({ timeout: 10_000 })
    expect(await ada.locator('.cp-avatar[data-local=true]').getAttribute('data-user')).toBe('Ada')
    expect(await ada.title()).toBe('Collab demo')
  })

  it('shows a node added in one page in the other', async () => {
    await ada.getByRole('button', { name: '+ Source' }).click()
    await nodeByLabel(grace, 'Source 1').waitFor({ timeout: 5_000 })
    expect(await nodes(grace).count()).toBe(1)
    sourceId = (await nodeByLabel(ada, 'Source 1').getAttribute('data-id'))!
    expect(await nodeByLabel(grace, 'Source 1').getAttribute('data-id')).toBe(sourceId)
  })

  it('moves a node dragged in one page in the other', async () => {
    const before = await flowPosition(ada, sourceId)
    const from = await center(ada, `.react-flow__node[data-id="${sourceId}"] .cp-node-label`)
    await drag(ada, from, { x: from.x - 260, y: from.y - 160 })
    const after = await flowPosition(ada, sourceId)
    expect(Math.abs(after.x - before.x)).toBeGreaterThan(100)
    expect(Math.abs(after.y - before.y)).toBeGreaterThan(60)
    await expect.poll(() => flowPosition(grace, sourceId), { timeout: 5_000 }).toEqual(after)
  })

  it('makes the edge connected in one page appear in the other', async () => {
    await ada.getByRole('button', { name: '+ Sink' }).click()
    await nodeByLabel(grace, 'Sink 1').waitFor({ timeout: 5_000 })
    sinkId = (await nodeByLabel(ada, 'Sink 1').getAttribute('data-id'))!
    const from = await center(ada, `.react-flow__node[data-id="${sourceId}"] .react-flow__handle.source`)
    const to = await center(ada, `.react-flow__node[data-id="${sinkId}"] .react-flow__handle.target`)
    await drag(ada, from, to)
    const edgeId = `${sourceId}->${sinkId}`
    await ada.locator(`.react-flow__edge[data-id="${edgeId}"]`).waitFor({ timeout: 5_000 })
    await grace.locator(`.react-flow__edge[data-id="${edgeId}"]`).waitFor({ timeout: 5_000 })
    expect(await grace.locator('.react-flow__edge').count()).toBe(1)
  })

  it('shows one user\'s pointer, with the name, in the other\'s view at the same place in the pipeline', async () => {
    const target = await center(ada, `.react-flow__node[data-id="${sinkId}"]`)
    await ada.mouse.move(target.x - 30, target.y - 30)
    await ada.mouse.move(target.x, target.y, { steps: 5 })
    const pointer = grace.locator('.cp-pointer[data-user="Ada"]')
    await pointer.waitFor({ timeout: 5_000 })
    expect(await pointer.textContent()).toContain('Ada')
    // the arrow's tip is where Ada's mouse is: over the sink node in Grace's view too
    await expect.poll(async () => {
      const tip = (await pointer.boundingBox())!
      const sink = (await grace.locator(`.react-flow__node[data-id="${sinkId}"]`).boundingBox())!
      return tip.x >= sink.x && tip.x <= sink.x + sink.width && tip.y >= sink.y && tip.y <= sink.y + sink.height
    }, { timeout: 5_000 }).toBe(true)
    expect(await ada.locator('.cp-pointer').count()).toBe(0) // nobody draws their own pointer
    await grace.screenshot({ path: join(artifacts, 'demo-grace-sees-ada-pointer.png') })
    console.log(`screenshot: ${join(artifacts, 'demo-grace-sees-ada-pointer.png')}`)
  })

  it('shows a node selected in one page as selected by that user in the other', async () => {
    await ada.locator(`.react-flow__node[data-id="${sinkId}"] .cp-node-label`).click()
    await grace.locator(`.react-flow__node[data-id="${sinkId}"] .cp-selector`, { hasText: 'Ada' }).waitFor({ timeout: 5_000 })
  })

  it('renames a node by double-click in one page and shows the name in the other', async () => {
    await grace.locator(`.react-flow__node[data-id="${sourceId}"] .cp-node-label`).dblclick()
    const input = grace.locator(`.react-flow__node[data-id="${sourceId}"] input`)
    await input.fill('Load orders')
    await input.press('Enter')
    await nodeByLabel(ada, 'Load orders').waitFor({ timeout: 5_000 })
  })

  it('removes a node deleted with the keyboard in one page from the other', async () => {
    await grace.getByRole('button', { name: '+ Transform' }).click()
    await nodeByLabel(ada, 'Transform 1').waitFor({ timeout: 5_000 })
    await nodeByLabel(grace, 'Transform 1').locator('.cp-node-label').click()
    await grace.keyboard.press('Delete')
    await nodeByLabel(ada, 'Transform 1').waitFor({ state: 'detached', timeout: 5_000 })
    expect(await nodes(ada).count()).toBe(2)
  })

  it('shares the notes typed in one page with the other', async () => {
    await grace.getByLabel('Shared notes').click()
    await grace.keyboard.type('Pipeline reviewed by Grace.')
    await expect.poll(() => ada.getByLabel('Shared notes').inputValue(), { timeout: 5_000 }).toBe('Pipeline reviewed by Grace.')
    await ada.screenshot({ path: join(artifacts, 'demo-ada.png') })
    await grace.screenshot({ path: join(artifacts, 'demo-grace.png') })
    console.log(`screenshot: ${join(artifacts, 'demo-ada.png')}`)
    console.log(`screenshot: ${join(artifacts, 'demo-grace.png')}`)
  })

  it('serves the single-script embed, which shows the same pipeline', async () => {
    const page = await contexts[1]!.newPage()
    page.on('pageerror', (e) => pageErrors.push(`embed: ${e.message}`))
    await page.goto(`${server.url}/embed.html?${new URLSearchParams({ workspace: 'e2e', doc: documentName, name: 'Embedder' }).toString()}`)
    await nodeByLabel(page, 'Load orders').waitFor({ timeout: 10_000 })
    await page.locator(`.react-flow__edge[data-id="${sourceId}->${sinkId}"]`).waitFor({ timeout: 5_000 })
    await ada.locator('.cp-avatar[data-user="Embedder"]').waitFor({ timeout: 5_000 })
    await page.evaluate(() => { (window as unknown as { pipeline: { unmount: () => void } }).pipeline.unmount() })
    await ada.locator('.cp-avatar[data-user="Embedder"]').waitFor({ state: 'detached', timeout: 10_000 })
    await page.close()
  })

  it('restores a snapshot from the history panel, changing both pages', async () => {
    const probe = await fetch(`${server.url}/api/workspaces`)
    if (probe.status === 404) {
      throw new Error(`REST API not present: GET ${server.url}/api/workspaces answered 404, so the history panel cannot list, create or restore snapshots`)
    }
    for (const page of [ada, grace]) {
      await page.getByText('No snapshots yet.').waitFor({ timeout: 10_000 })
      expect(await page.locator('.cp-history-error').count()).toBe(0)
    }
    await ada.getByLabel('Snapshot label').fill('two steps')
    await ada.getByRole('button', { name: 'Save' }).click()
    await ada.locator('.cp-snapshot[data-snapshot-label="two steps"]').waitFor({ timeout: 10_000 })
    await grace.locator('.cp-snapshot[data-snapshot-label="two steps"]').waitFor({ timeout: 10_000 })

    // Ada deletes the sink (and with it the edge); both pages show one node
    await ada.locator(`.react-flow__node[data-id="${sinkId}"] .cp-node-label`).click()
    await ada.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => nodes(grace).count(), { timeout: 5_000 }).toBe(1)
    expect(await grace.locator('.react-flow__edge').count()).toBe(0)

    // Grace restores the snapshot: the sink and the edge come back on both pages
    await grace.locator('.cp-snapshot[data-snapshot-label="two steps"]').getByRole('button', { name: 'Restore' }).click()
    for (const page of [ada, grace]) {
      await page.locator(`.react-flow__node[data-id="${sinkId}"]`).waitFor({ timeout: 10_000 })
      await page.locator(`.react-flow__edge[data-id="${sourceId}->${sinkId}"]`).waitFor({ timeout: 10_000 })
      expect(await nodes(page).count()).toBe(2)
    }
    await expect(grace.locator('.cp-history-status')).toBeDefined()
  })

  it('serves a browsable API page at /api/docs that lists the operations of /openapi/v1.json', async () => {
    const context = await browser.newContext()
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${server.url}/api/docs`)
    // every operation of the document renders as one entry, the restore among them
    const spec = await (await fetch(`${server.url}/openapi/v1.json`)).json() as { paths: Record<string, Record<string, unknown>> }
    const verbs = ['get', 'post', 'put', 'delete', 'patch']
    const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).filter((k) => verbs.includes(k)).length, 0)
    expect(operations).toBeGreaterThan(10)
    await expect.poll(() => page.locator('#ops details').count(), { timeout: 10_000 }).toBe(operations)
    await page.locator('#ops summary', { hasText: '/snapshots/{id}/restore' }).first().waitFor()
    expect(errors).toEqual([])
  })
})
