// Starts a real Collab.Server (the built Release assembly) on a free loopback port for the client and
// browser tests, and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** COLLAB_SERVER_DLL runs the tests against another build (e.g. a merge being checked). */
export const serverDll = process.env.COLLAB_SERVER_DLL ?? join(repoRoot, 'src/Collab.Server/bin/Release/net10.0/Collab.Server.dll')

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The server's output so far (for failure messages). */
  output: () => string
  stop: () => Promise<void>
}

export interface TestServerOptions {
  /** Extra configuration as environment variables (`Collab__...`). */
  env?: Record<string, string>
  /** `memory` (default) or `sqlite` in a temporary directory. */
  storage?: 'memory' | 'sqlite'
}

export async function freePort (): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => { resolvePort(port) })
    })
  })
}

export async function startServer (options: TestServerOptions = {}): Promise<TestServer> {
  if (!existsSync(serverDll)) {
    throw new Error(`${serverDll} does not exist: build the server first (dotnet build src/Collab.Server -c Release)`)
  }
  const dataDirectory = mkdtempSync(join(tmpdir(), 'collab-clients-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let log = ''
  const child: ChildProcess = spawn('dotnet', [serverDll, '--urls', url], {
    cwd: dataDirectory,
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Production',
      Collab__DataDirectory: dataDirectory,
      Collab__Storage__Provider: options.storage ?? 'memory',
      Logging__LogLevel__Default: 'Warning',
      ...options.env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout?.on('data', (chunk: Buffer) => { log += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString() })
  let exited = false
  const exit = new Promise<void>((resolveExit) => { child.on('exit', () => { exited = true; resolveExit() }) })

  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`Collab.Server exited during start-up:\n${log}`)
    try {
      const response = await fetch(`${url}/health/ready`)
      if (response.ok) break
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`Collab.Server did not answer ${url}/health/ready within 60 s:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }

  return {
    url,
    output: () => log,
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        await exit
        clearTimeout(timer)
      }
      rmSync(dataDirectory, { recursive: true, force: true })
    }
  }
}

/** An HS256 JWT as the server validates it (claims: workspace, optional document pattern, role, sub). */
export function signToken (secret: string, claims: { workspace: string, document?: string, role: 'read' | 'write' | 'admin', sub?: string, exp?: number }): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

/** Polls until `predicate` holds; fails naming `what` after `timeoutMs`. */
export async function waitFor (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
