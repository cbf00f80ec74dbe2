/**
 * An expected failure: its message is written for the person who typed the command and is shown
 * to them as is. Anything that is not a UserError is a bug: logged, and answered with an apology.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}
