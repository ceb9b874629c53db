import type { ResponderDescription } from '@certkeeper/http01';

/** How listen failures of the standalone tls-alpn-01 responder are worded. */
export const TLS_ALPN01_RESPONDER: ResponderDescription = {
  name: 'TLS-ALPN-01 responder',
  caPort: 443,
  shareHint: 'let it answer the challenges (createTlsAlpn01Hook in a Node TLS/HTTPS server)',
};
