/**
 * A feed URL with its user and password moved into a Basic `authorization` header: fetch refuses a
 * URL that carries them, and a header keeps them out of every message that names the URL.
 */
export function withoutCredentials(url: string): { url: string; authorization?: string } {
  if (!URL.canParse(url)) return { url }; // fetch says what is wrong with it
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}
