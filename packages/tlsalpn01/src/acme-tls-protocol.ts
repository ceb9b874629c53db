/** The ALPN protocol a CA offers, alone, when it validates tls-alpn-01 (RFC 8737 §6.2). */
export const ACME_TLS_ALPN_PROTOCOL = 'acme-tls/1';
