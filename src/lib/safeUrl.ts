/**
 * A URL fit for logs and status pages: its origin and path only. The user and password, and the
 * query string (where feeds and APIs take their keys), are secrets as often as not.
 */
export function safeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparsable URL]'; // it could be anything, a secret included
  }
  // Schemes the URL standard does not know (postgres:) have an opaque origin, "null".
  const origin = parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
  return `${origin}${parsed.pathname}`;
}

const URLS = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>`]+/gi;
/** Punctuation of the sentence around a URL, not part of it. */
const TRAILING = /[.,;:!?)\]]+$/;

/** Text (an error's message) with every URL in it cut down as safeUrl does. */
export function safeUrls(text: string): string {
  return text.replace(URLS, (match) => {
    const trailing = TRAILING.exec(match)?.[0] ?? '';
    return safeUrl(match.slice(0, match.length - trailing.length)) + trailing;
  });
}
