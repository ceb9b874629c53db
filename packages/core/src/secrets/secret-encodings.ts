/**
 * Forms a secret takes when a provider echoes a request back: the raw value, as a JSON string body, URL-encoded
 * (query strings, form bodies; upper- and lower-case escapes), and base64/base64url wherever it sits in the
 * encoded bytes (`Authorization: Basic base64(user:secret)` puts it after an unknown prefix). For base64 the
 * three alignments of the secret in a 3-byte group are encoded and only the characters that depend on the
 * secret's bytes alone are kept, so the form matches whatever came before or after it.
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(JSON.stringify(secret).slice(1, -1));
  const url = encodeURIComponent(secret);
  forms.add(url);
  forms.add(url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  forms.add(url.replace(/%20/g, '+'));
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Character i covers bits 6i..6i+5: it is the secret's alone from the first character past the `shift`
    // filler bytes to the last character that ends inside the secret.
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}
