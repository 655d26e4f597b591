/** An RFC 7807 problem document, as the server sends for every error. */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
}

/** A REST call the server answered with an error status; `message` carries the server's own explanation. */
export class CollabApiError extends Error {
  readonly status: number
  readonly problem: ProblemDetails | null
  readonly method: string
  readonly path: string

  constructor (method: string, path: string, status: number, problem: ProblemDetails | null, body: string) {
    const reason = problem?.detail ?? problem?.title ?? (body.length > 0 ? body.slice(0, 300) : '(empty body)')
    super(status === 404 && problem === null
      ? `${method} ${path} answered 404 without a problem document: the server has no such route (REST API not present?) — ${reason}`
      : `${method} ${path} answered ${status}: ${reason}`)
    this.name = 'CollabApiError'
    this.status = status
    this.problem = problem
    this.method = method
    this.path = path
  }
}
