// Opens `--clients` idle y-websocket providers spread over `--rooms` rooms (each room gets one small edit), prints
// "ready" once all are synced, and holds them open for `--hold` seconds: run.sh measures the server's memory meanwhile.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

process.setMaxListeners(10000)
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const clients = Number(args.clients ?? 100)
const rooms = Number(args.rooms ?? 10)
const providers = []
for (let i = 0; i < clients; i++) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(args.url, `${args.prefix ?? 'idle'}/r${i % rooms}`, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
  if (i < rooms) provider.once('sync', () => doc.getText('t').insert(0, 'hello'))
  providers.push(provider)
}
const start = Date.now()
const check = setInterval(() => {
  if (providers.every((p) => p.synced)) {
    clearInterval(check)
    console.log('ready')
    setTimeout(() => { providers.forEach((p) => p.destroy()); process.exit(0) }, Number(args.hold ?? 10) * 1000)
  } else if (Date.now() - start > 60000) {
    console.error('not all clients synced within 60 s')
    process.exit(1)
  }
}, 100)
