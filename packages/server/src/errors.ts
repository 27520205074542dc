/**
 * One error type per meaning. Services throw these; the HTTP layer maps them to problem+json in one place
 * (http/problem.ts). Anything else is a bug and becomes a 500 without internals in the body.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly kind: string;
  constructor(
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that parses but makes no sense (a field-level problem). 400. */
export class Invalid extends DomainError {
  readonly status = 400;
  readonly kind = 'invalid';
}

/** Not signed in, or the session ended. 401. */
export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly kind = 'unauthenticated';
}

/** Signed in, but the role lacks the permission. 403. Never used for records of another clinic (those are 404). */
export class Forbidden extends DomainError {
  readonly status = 403;
  readonly kind = 'forbidden';
}

/** Absent, or not the caller's to see: the two are indistinguishable on purpose. 404. */
export class NotFound extends DomainError {
  readonly status = 404;
  readonly kind = 'not-found';
  constructor(resource: string) {
    super(`${resource} was not found.`);
  }
}

/** The record changed since the caller read it, or the change conflicts with the current state. 409. */
export class Conflict extends DomainError {
  readonly status = 409;
  readonly kind = 'conflict';
}

/** The thing existed but is no longer usable (an expired, used or withdrawn invitation link). 410. */
export class Gone extends DomainError {
  readonly status = 410;
  readonly kind = 'gone';
}

/** An If-Match precondition failed. 412. */
export class PreconditionFailed extends DomainError {
  readonly status = 412;
  readonly kind = 'precondition-failed';
}

/** The account is locked after repeated failed sign-ins. 423. */
export class Locked extends DomainError {
  readonly status = 423;
  readonly kind = 'locked';
}

/** Too many attempts. 429. */
export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly kind = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
