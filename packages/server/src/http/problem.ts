import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type FieldProblem, TooManyRequests } from '../errors.ts';

/** RFC 9457 problem details. `type` is a stable URI per kind of problem. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
  errors?: FieldProblem[];
}

const titles: Record<number, string> = {
  400: 'Invalid request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition failed',
  413: 'Request body too large',
  415: 'Unsupported media type',
  423: 'Account locked',
  429: 'Too many requests',
  500: 'Internal error',
};

export function problemType(kind: string): string {
  return `https://kapstone.dev/problems/${kind}`;
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  kind: string,
  detail?: string,
  errors?: FieldProblem[],
): FastifyReply {
  const body: Problem = {
    type: problemType(kind),
    title: titles[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    instance: reply.request.url.split('?')[0],
    requestId: reply.request.id,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  return reply.status(status).type('application/problem+json').send(body);
}

function pathOf(segments: readonly PropertyKey[], where: string | undefined): string {
  const prefix = where && where !== 'body' ? `${where}.` : '';
  return prefix + segments.map(String).join('.');
}

/**
 * The one place an error becomes HTTP. Domain errors map to their status; validation errors to 400 with
 * field paths; Fastify's client errors (bad JSON, wrong content type, body too large) keep their 4xx; anything
 * else is a 500 whose body says nothing about internals (the log has the stack, without PHI).
 */
export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof DomainError) {
    if (error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, error.status, error.kind, error.message, error.errors);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => {
      const segments = issue.instancePath.split('/').filter(Boolean);
      return {
        path: pathOf(segments, error.validationContext) || (error.validationContext ?? 'body'),
        message: issue.message ?? 'Invalid value',
      };
    });
    return sendProblem(reply, 400, 'invalid', 'Some fields are invalid.', errors);
  }
  if (isResponseSerializationError(error)) {
    request.log.error(
      { err: { message: error.message, issues: error.cause.issues } },
      'response did not match its schema',
    );
    return sendProblem(reply, 500, 'internal', 'Something went wrong on our side.');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const detail =
      error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Send JSON with Content-Type: application/json.'
        : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The request body is too large.'
          : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'The request body is empty; send a JSON object.'
            : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
              ? 'The request body is not valid JSON.'
              : error.message;
    return sendProblem(reply, status, status === 400 ? 'invalid' : `http-${status}`, detail);
  }
  request.log.error(
    { err: { message: error.message, stack: error.stack, code: error.code } },
    'unhandled error',
  );
  return sendProblem(reply, 500, 'internal', 'Something went wrong on our side.');
}
