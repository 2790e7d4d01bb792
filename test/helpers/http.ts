// A small JSON client for tests: returns status and parsed body, never throws on 4xx/5xx.
export interface JsonResponse<T = any> {
  status: number
  body: T
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  pathname: string,
  options: { headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  })
  const text = await response.text()
  let body: any = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // keep the text: a non-JSON body is itself something a test may assert on
  }
  return { status: response.status, body }
}
