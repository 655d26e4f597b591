// A workspace hub client (@microsoft/signalr, JSON protocol) for Collab.Server's tests.
// Usage: node hub-client.mjs <name> '<json arguments>'  (the name only labels its logs)  with { url, token?, workspaces: [...], timeoutMs? }
// Connects to url + /hubs/workspace (the token through accessTokenFactory), joins each workspace and prints one JSON
// line per thing that happens on stdout:
//   { joined: ws } | { joinError: ws, message } | { connectError: message } | { event: name, at: ms, data: {...} }
// Logs go to stderr. Runs until killed (or args.timeoutMs, default 120 s).
import * as signalR from '@microsoft/signalr'

const [, , name, rawArgs] = process.argv
const args = JSON.parse(rawArgs ?? '{}')
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n')
const events = ['PresenceChanged', 'DocumentChanged', 'SnapshotCreated', 'DocumentRestored']
setTimeout(() => process.exit(0), args.timeoutMs ?? 120000)

const logger = { log: (level, message) => { if (level >= signalR.LogLevel.Warning) console.error(`[${name}] ${message}`) } }
const options = args.token ? { accessTokenFactory: () => args.token } : {}
if (args.transport === 'websockets') {
  // skip negotiation: the token travels only as the access_token query parameter
  options.transport = signalR.HttpTransportType.WebSockets
  options.skipNegotiation = true
}

const connection = new signalR.HubConnectionBuilder()
  .withUrl(args.url + '/hubs/workspace', options)
  .configureLogging(logger)
  .build()
for (const name of events) {
  connection.on(name, (data) => print({ event: name, at: Date.now(), data }))
}

try {
  await connection.start()
} catch (e) {
  // a refused negotiate surfaces wrapped, with the status only in its message
  const status = e.statusCode ?? Number(/Status code '(\d+)'/.exec(String(e.message))?.[1] ?? NaN)
  print({ connectError: String(e.message ?? e), statusCode: Number.isNaN(status) ? null : status })
  process.exit(0)
}

for (const ws of args.workspaces ?? []) {
  try {
    await connection.invoke('Join', ws)
    print({ joined: ws })
  } catch (e) {
    print({ joinError: ws, message: String(e.message ?? e) })
  }
}
