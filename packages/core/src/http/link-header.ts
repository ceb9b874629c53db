export interface Link {
  readonly url: string;
  readonly rel: string;
}

/**
 * Parse `Link` headers (RFC 8288) as ACME uses them: `<url>;rel="up"`, `<url>;rel="alternate"` (RFC 8555 §7.4.2),
 * `<url>;rel="index"`. Relative URLs are resolved against the request URL.
 */
export function parseLinkHeaders(values: string | readonly string[] | undefined, base: string): Link[] {
  if (values === undefined) return [];
  const links: Link[] = [];
  for (const value of typeof values === 'string' ? [values] : values) {
    for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
      const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(match[2] ?? '')?.[1];
      if (!rel) continue;
      for (const name of rel.trim().split(/\s+/))
        links.push({ url: new URL(match[1] ?? '', base).href, rel: name });
    }
  }
  return links;
}
