/**
 * Identity helpers for tests, under the name the server split promised (`testing/auth.ts`). They live in
 * factories.ts beside the clinic and patient factories; this module is the stable import for other tests.
 *
 * - createStaffUser(db, clinicId, roles, overrides?) and createPatientUser(db, clinicId, patientId) make
 *   accounts whose password is `testPassword`.
 * - signIn(app, email, password?) returns { cookie, csrfToken }; `as(app, signedIn)` wraps app.inject with the
 *   cookie and, on state-changing methods, the CSRF header.
 */
export {
  as,
  assignCareTeam,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  sessionCookieOf,
  signIn,
  testPassword,
} from './factories.ts';
