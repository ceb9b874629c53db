import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * The DNS side of acme-dns on 127.0.0.1 (UDP): TXT questions for `<subdomain>.<domain>` are answered with the
 * subdomain's values, authoritatively, TTL 1, as acme-dns's dns.go does; anything else gets an empty answer.
 */
export async function startAcmeDnsDnsServer(
  domain: string,
  values: (subdomain: string) => string[],
): Promise<{ port: number; queries: () => number; reset: () => void; close: () => Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  let queries = 0;
  socket.on('message', (message, remote) => {
    queries += 1;
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    const name = question?.name.toLowerCase().replace(/\.$/, '') ?? '';
    const subdomain = name.endsWith(`.${domain}`) ? name.slice(0, -(domain.length + 1)) : undefined;
    const answers =
      question?.type === 'TXT' && subdomain && !subdomain.includes('.')
        ? values(subdomain).map((value) => ({
            type: 'TXT' as const,
            name: question.name,
            ttl: 1,
            class: 'IN' as const,
            data: value,
          }))
        : [];
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: query.questions,
      answers,
    });
    socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    queries: () => queries,
    reset: () => {
      queries = 0;
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
