/** A feed body we refuse to import; the message says why, for the log and for `npm run sync`. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
}
