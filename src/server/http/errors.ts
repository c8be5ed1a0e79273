/** The one error shape every route answers with: {error: {code, message, fields: [{path, message}]}}. */
import type { ZodError } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: FieldError[] = [],
    public extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields: FieldError[] = [], extra: Record<string, unknown> = {}) =>
  new HttpError(400, 'invalid_input', message, fields, extra);
export const notFound = (what = 'record') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (path: string, message: string) => new HttpError(409, 'conflict', `${path}: ${message}`, [{ path, message }]);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'sign in first');
export const forbidden = (message = 'not allowed for your role') => new HttpError(403, 'forbidden', message);

/** The value at a path of the input, to tell a missing field from one of the wrong type. */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function zodFields(err: ZodError, prefix = '', input?: unknown): FieldError[] {
  return err.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    if (i.code === 'unrecognized_keys') {
      return { path: [path, i.keys.join(', ')].filter(Boolean).join('.'), message: `is not an accepted field (unknown fields are refused, never stored)` };
    }
    if ((i.code === 'invalid_type' || i.code === 'invalid_value') && valueAt(input, i.path) === undefined) return { path: path || prefix, message: 'is required' };
    return { path: path || prefix, message: i.message };
  });
}

export function validationError(err: ZodError, prefix = '', input?: unknown): HttpError {
  const fields = zodFields(err, prefix, input);
  return badRequest(fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}
