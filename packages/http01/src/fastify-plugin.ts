import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http01ChallengeRegistry } from './challenge-registry.js';
import { answerChallengeRequest } from './respond.js';
import { ACME_CHALLENGE_PATH } from './token.js';

/** Options of {@link http01Fastify}. */
export interface Http01FastifyOptions {
  readonly registry: Http01ChallengeRegistry;
}

/**
 * The part of a Fastify instance the plugin uses. Declared structurally so this package does not depend on
 * Fastify; a Fastify 5 instance satisfies it (test/http01 type-checks against the real types).
 */
export interface FastifyRouteTarget {
  route(options: {
    method: string[];
    url: string;
    handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): unknown }) => void;
  }): unknown;
}

async function plugin(fastify: FastifyRouteTarget, options: Http01FastifyOptions): Promise<void> {
  fastify.route({
    method: ['GET', 'HEAD'],
    url: `${ACME_CHALLENGE_PATH}*`,
    handler(request, reply) {
      // The answer is written on the raw response, exactly as in the other modes; hijack tells Fastify that
      // this route sends its own reply.
      reply.hijack();
      answerChallengeRequest(request.raw, reply.raw, options.registry);
    },
  });
}

/**
 * Fastify plugin serving `GET`/`HEAD /.well-known/acme-challenge/*` from a registry:
 * `await app.register(http01Fastify, { registry })`.
 *
 * It is not encapsulated (the `skip-override` symbol, as `fastify-plugin` sets it), so the route is added at
 * the root even when registered with a `prefix` — the CA always asks for the fixed RFC 8555 path.
 */
export const http01Fastify = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@certkeeper/http01',
});
