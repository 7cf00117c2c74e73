/**
 * What every POST the sandbox page sends must be: JSON with the SANDBOX_HEADER (value `1`), at most
 * MAX_BODY_BYTES, of the route's shape. Another web site the developer visits can neither send that header
 * from a form nor from a `no-cors` fetch, and a fetch that asks to send it needs a CORS preflight the sandbox
 * never grants, so no other site drives the sandbox.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as z from 'zod';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, refuseTooLarge, sendJson } from '../../../src/index.js';

/** The header (value `1`) every act must carry: the page's own script sends it, another site's form cannot. */
export const SANDBOX_HEADER = 'x-muster-sandbox';

/**
 * Reads the page's JSON body as `schema` says; when it is not one (415 not JSON, 403 no header, 413 too large,
 * 400 not the shape), answers the refusal itself and returns null.
 */
export async function readPagePost<T>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: z.ZodType<T>,
): Promise<T | null> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    sendJson(res, 415, { ok: false, error: 'expected application/json' });
    return null;
  }
  if (req.headers[SANDBOX_HEADER] !== '1') {
    req.resume();
    sendJson(res, 403, {
      ok: false,
      error: `expected the header ${SANDBOX_HEADER}: 1 (sent by the sandbox page)`,
    });
    return null;
  }
  try {
    const result = schema.safeParse(JSON.parse((await readBody(req)).toString('utf8')));
    if (result.success) return result.data;
    sendJson(res, 400, { ok: false, error: 'invalid_arguments', detail: result.error.issues[0]?.message });
    return null;
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      refuseTooLarge(req, res, { ok: false, error: `request body over ${MAX_BODY_BYTES} bytes` });
      return null;
    }
    sendJson(res, 400, { ok: false, error: 'invalid_body' });
    return null;
  }
}
