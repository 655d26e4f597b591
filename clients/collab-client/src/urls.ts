// The server answers HTTP (REST, SignalR) and WebSocket (y-websocket) on one origin, so callers give one base
// URL in either scheme and each transport derives its own.

/** `ws://h:p/x` or `http://h:p/x` → `http://h:p/x` (wss/https alike), without a trailing slash. */
export function toHttpUrl (url: string): string {
  return trimSlash(url.replace(/^ws(s?):\/\//i, 'http$1://'))
}

/** `http://h:p/x` or `ws://h:p/x` → `ws://h:p/x` (https/wss alike), without a trailing slash. */
export function toWebSocketUrl (url: string): string {
  return trimSlash(url.replace(/^http(s?):\/\//i, 'ws$1://'))
}

function trimSlash (url: string): string {
  return url.replace(/\/+$/, '')
}

/** The y-websocket provider joins `serverUrl + '/' + room`; the server's route is `/ws/{workspace}/{document}`. */
export function providerAddress (url: string, workspace: string, document: string): { serverUrl: string, room: string } {
  return {
    serverUrl: `${toWebSocketUrl(url)}/ws/${encodeURIComponent(workspace)}`,
    room: encodeURIComponent(document)
  }
}
