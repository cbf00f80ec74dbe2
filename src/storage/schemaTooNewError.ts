/** A newer bot wrote this database: an older one must not touch it. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}
