// Response builders and the error envelopes of each API family.
import type { ApiFamily, SimResponse } from './types';

const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

export function bytes(body: Buffer, contentType: string, headers: Record<string, string> = {}): SimResponse {
  return { status: 200, headers: { 'content-type': contentType, ...headers }, body };
}

const V2_CODES: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST_PARAMETER', 'Bad Request'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not Found'],
  429: ['TOO_MANY_REQUESTS', 'Too Many Requests'],
  500: ['INTERNAL_SERVER_ERROR', 'Internal Server Error'],
  502: ['BAD_GATEWAY', 'Bad Gateway'],
  503: ['SERVICE_UNAVAILABLE', 'Service Unavailable'],
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function errorResponse(
  family: ApiFamily,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  if (family === 'v2') {
    const [code, title] = V2_CODES[status] ?? ['ERROR', REASONS[status] ?? 'Error'];
    return json(status, { errors: [{ status, code, title, detail: message }] }, headers);
  }
  if (family === 'v1') {
    const data = { authorized: status !== 401 && status !== 403, valid: status !== 400, errors: [], successful: false };
    return json(status, { statusCode: status, data, message, reason: REASONS[status] ?? 'Error' }, headers);
  }
  return { status, headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers }, body: Buffer.from(message) };
}
