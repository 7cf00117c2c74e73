/** Structured logs, as the core writes them: an object of facts and a short message. pino's logger fits it. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Log {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** a logger that adds `bindings` (the incident number, a request id) to every line */
  child(bindings: Record<string, unknown>): Log;
}
