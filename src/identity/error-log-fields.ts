// What the identity service logs about an unexpected failure: its stable code and message, never
// the stack (which would point into our source) nor the error object (whose own fields may hold
// request data). One shape for the HTTP server, the interaction pages and the background timers.

export function errorLogFields(error: unknown): { code?: unknown; message?: string } {
  return error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message } : {};
}
