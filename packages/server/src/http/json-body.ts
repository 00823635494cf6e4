import type { FastifyInstance } from 'fastify';
import { DomainError } from '@alertautec/core';

/** No request of this API nests deeper; far below where recursive code runs out of stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether arrays and objects in a JSON text nest deeper than `limit`, found by one pass over
 * the characters (no recursion, so no depth can overflow the stack). Brackets inside strings
 * do not count. Malformed text is left for the parser to refuse.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) depth--;
  }
  return false;
}

export const jsonTooDeep = () =>
  new DomainError('validation', 'json_too_deep', `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);

/**
 * Replaces Fastify's JSON body parser with one that refuses deep nesting before parsing:
 * JSON.parse copes, but JSON.stringify, validation and the code after them recurse, and a
 * few thousand levels end in a stack overflow (a 500 for what is the client's mistake).
 * Parsing itself stays Fastify's (body limit, proto-poisoning refusal).
 */
export function registerJsonBodyParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(jsonTooDeep(), undefined);
      return;
    }
    parse(request, body as string, done);
  });
}
