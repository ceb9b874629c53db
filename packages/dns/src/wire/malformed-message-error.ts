/**
 * A DNS message from a server cannot be read: shorter than its header, a name or record running past its end, a
 * compression loop, a record that does not answer our question. The one error the wire parsers throw on
 * untrusted input (a fuzz test holds them to it); callers turn it into DNS_LOOKUP_FAILED or DNS_PROVIDER_FAILED
 * with the server's address.
 */
export class MalformedDnsMessageError extends Error {
  override readonly name = 'MalformedDnsMessageError';
}
