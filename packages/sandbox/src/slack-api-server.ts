/**
 * Serves a SlackWorkspace over HTTP in Slack's wire format: `POST /api/<method>`, the upload URLs of the files
 * upload v2 flow, file downloads, `POST /response/<id>` (response_url) and Sign in with Slack's authorize page
 * (`GET /openid/connect/authorize`). Mount it beside other routes: the
 * handler answers false for paths that are not its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, refuseTooLarge } from '../../../src/index.js';
import { fileKind } from './slack-wire-objects.js';
import { type SlackFailure, SlackFailurePlan } from './slack-failure-plan.js';
import type { SlackArgs } from './slack-method-args.js';
import { callSlackMethod, isSlackMethod } from './slack-methods.js';
import { OWN_CREDENTIAL_METHODS } from './slack-methods-openid.js';
import { parseBody } from './slack-request-body.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { SlackApiError } from './slack-workspace-types.js';

export type { SlackFailure } from './slack-failure-plan.js';

/** One Web API call as received: arguments parsed (JSON text fields too), the token left out. */
export interface SlackApiCall {
  method: string;
  args: SlackArgs;
  /** when it arrived, from the handler's clock (epoch milliseconds) */
  at: number;
  /** the HTTP status of an injected failure this call was answered with */
  failedWith?: number;
}

export interface SlackApiHandlerOptions {
  /** stamps `at` on recorded calls; default Date.now */
  clock?: () => number;
  /** told of bugs (never of Slack errors, which are answers); default console.error */
  onError?: (error: unknown) => void;
  /** bodies above this are refused with 413 on every route; default MAX_BODY_BYTES (1 MB) */
  maxBodyBytes?: number;
  /** how many calls `calls` keeps, the oldest dropped first; default RECORDED_CALLS_CAP */
  maxRecordedCalls?: number;
}

/**
 * How many Web API calls are kept for inspection. Each may hold a body of up to a megabyte, and the sandbox runs
 * for days: without a cap, anyone who can reach it grows the process without end.
 */
export const RECORDED_CALLS_CAP = 1000;

export interface SlackApiHandler {
  /** Serves the request when the path is the Web API's; returns false (and does nothing) otherwise. */
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** the latest Web API calls received (up to the cap), oldest first */
  readonly calls: SlackApiCall[];
  /** `method` may be UPLOAD_STEP: the upload URL of the files upload v2 flow answers an HTTP error (500 by default) */
  failNext(method: string, failure?: SlackFailure): void;
  failAlways(method: string, failure?: SlackFailure): void;
  clearFailures(): void;
}

/** The name failNext/failAlways take for the middle step of the upload flow: the POST of the bytes. */
export const UPLOAD_STEP = 'upload';

const UPLOAD_PATH = /^\/upload\/v1\/([A-Za-z0-9]+)$/;
const FILE_PATH = /^\/files-pri\/[A-Z0-9]+-([A-Za-z0-9]+)\/(download\/)?[^/]+$/;
const RESPONSE_PATH = /^\/response\/([A-Za-z0-9]+)$/;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Types a browser shows without running anything; any other file is served as bytes to save. */
const INERT_TYPES = new Set([
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
]);

/** The Content-Type an uploaded file is served with: its own when inert (text with a charset), else octet-stream. */
export function servedType(name: string): string {
  const { mimetype } = fileKind(name);
  if (!INERT_TYPES.has(mimetype)) return 'application/octet-stream';
  return mimetype.startsWith('text/') || mimetype === 'application/json'
    ? `${mimetype}; charset=utf-8`
    : mimetype;
}

/** The bearer token of the request, or the `token` form field (Slack ignores a token inside a JSON body). */
function tokenOf(req: IncomingMessage, args: SlackArgs, isJson: boolean): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return !isJson && typeof args['token'] === 'string' ? args['token'] : undefined;
}

/** Creates the request handler for `workspace`; see SlackApiHandler. */
export function createSlackApiHandler(
  workspace: SlackWorkspace,
  opts: SlackApiHandlerOptions = {},
): SlackApiHandler {
  const clock = opts.clock ?? Date.now;
  const onError = opts.onError ?? ((error: unknown) => console.error('sandbox Slack API failed', error));
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxCalls = opts.maxRecordedCalls ?? RECORDED_CALLS_CAP;
  const calls: SlackApiCall[] = [];
  const failures = new SlackFailurePlan();
  const record = (call: SlackApiCall) => {
    calls.push(call);
    if (calls.length > maxCalls) calls.splice(0, calls.length - maxCalls);
  };
  const readRequest = (req: IncomingMessage) => readBody(req, maxBody);

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const at = clock();
    let body: Awaited<ReturnType<typeof parseBody>>;
    try {
      body = await parseBody(await readRequest(req), req.headers['content-type'], url.searchParams);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      record({ method, args: {}, at });
      return sendJson(res, 200, { ok: false, error: error.code });
    }
    const { token: _token, ...args } = body.args;
    const call: SlackApiCall = { method, args, at };
    record(call);
    const failure = failures.take(method);
    if (failure) {
      call.failedWith = failure.status;
      return sendJson(res, failure.status, failure.body, failure.headers);
    }
    if (!isSlackMethod(method))
      return sendJson(res, 200, { ok: false, error: 'unknown_method', req_method: method });
    const token = tokenOf(req, body.args, body.isJson);
    if (!OWN_CREDENTIAL_METHODS.has(method)) {
      if (!token) return sendJson(res, 200, { ok: false, error: 'not_authed' });
      if (token !== workspace.token) return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
    }
    sendJson(res, 200, callSlackMethod(workspace, method, args, token));
  }

  async function serveUpload(req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
    const raw = await readRequest(req);
    const failure = failures.take(UPLOAD_STEP);
    // the upload URL is not a Web API method: it fails with an HTTP status, never with ok:false
    if (failure) return sendText(res, failure.status >= 400 ? failure.status : 500, failure.body.error);
    const type = req.headers['content-type'] ?? '';
    // WebClient posts the bytes as a multipart file part; curl-style clients post them raw
    const parsed = type.startsWith('multipart/') ? await parseBody(raw, type, new URLSearchParams()) : null;
    const firstField = parsed ? Object.values(parsed.args).find((v) => typeof v === 'string') : undefined;
    const bytes = parsed ? (parsed.files[0]?.data ?? Buffer.from(String(firstField ?? ''))) : raw;
    const fileId = workspace.fileOfUpload(key);
    // an upload URL the workspace never handed out (or one already used) leads nowhere
    if (!fileId) return sendText(res, 404, 'file_not_found');
    try {
      workspace.receiveFileContent(fileId, bytes);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return sendText(res, 404, error.code);
    }
    sendText(res, 200, `OK - ${bytes.length}`);
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, fileId: string): void {
    const file = workspace.file(fileId);
    const content = workspace.fileContent(fileId);
    if (!file || !content) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    // Anyone in the workspace uploads these bytes: a browser must save them, never run them as this site's page.
    res.writeHead(200, {
      'content-type': servedType(file.name),
      'content-length': String(content.length),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    res.end(req.method === 'HEAD' ? undefined : content);
  }

  async function serveResponse(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    // only a response_url the workspace minted leads somewhere, as in Slack; nothing else is read or kept
    if (!workspace.issuedResponse(id)) {
      req.resume();
      return sendText(res, 404, 'no_such_response_url');
    }
    const text = (await readRequest(req)).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Slack takes JSON here; anything else is recorded as the text it was
    }
    workspace.receiveResponse(id, body);
    sendText(res, 200, 'ok');
  }

  function run(req: IncomingMessage, res: ServerResponse, work: Promise<void>): true {
    work.catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        return refuseTooLarge(req, res, { ok: false, error: 'request_too_large', limit_bytes: maxBody });
      }
      onError(error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
      else res.end();
    });
    return true;
  }

  const handler = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    if (path.startsWith('/api/')) return run(req, res, serveApi(req, res, url));
    const upload = req.method === 'POST' ? UPLOAD_PATH.exec(path) : null;
    if (upload?.[1]) return run(req, res, serveUpload(req, res, upload[1]));
    const file = req.method === 'GET' || req.method === 'HEAD' ? FILE_PATH.exec(path) : null;
    if (file?.[1])
      return run(
        req,
        res,
        Promise.resolve().then(() => serveFile(req, res, file[1] as string)),
      );
    if (req.method === 'GET' && path === '/openid/connect/authorize') {
      workspace.openId.authorize(url.searchParams, res);
      return true;
    }
    const response = req.method === 'POST' ? RESPONSE_PATH.exec(path) : null;
    if (response?.[1]) return run(req, res, serveResponse(req, res, response[1]));
    return false;
  };

  return Object.assign(handler, {
    calls,
    failNext: (method: string, failure?: SlackFailure) => failures.failNext(method, failure),
    failAlways: (method: string, failure?: SlackFailure) => failures.failAlways(method, failure),
    clearFailures: () => failures.clearFailures(),
  });
}
