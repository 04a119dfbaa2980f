import type { IncomingMessage } from 'node:http';
import type { Codec, CodecRegistry } from '../../encoding/index.js';
import { badPercentEncoding, bindParams, bindQuery, decodePlainBody } from './body.js';
import { rawHttpBody } from './reply.js';
import type { HttpRoute, RawRequest, RouteMatch } from './route-table.js';

/** Turns a request's bytes into a handler's input and its reply into bytes, with one server's codecs. */
export class MessageCodecs {
  constructor(
    readonly codecs: CodecRegistry,
    readonly json: Codec,
  ) {}

  decode(req: IncomingMessage, body: Buffer, query: string, match: RouteMatch): unknown {
    if (match.badParam !== undefined) throw badPercentEncoding(match.badParam);
    const contentType = req.headers['content-type'];
    const raw: RawRequest = {
      body,
      // A body without a Content-Type is read as JSON, the format clients most often forget to name.
      codec: contentType === undefined ? this.json : this.codecs.forContentType(contentType),
      contentType,
      query,
      params: match.params,
    };
    if (match.route.bind !== undefined) return match.route.bind(raw);
    const request = decodePlainBody(raw);
    bindQuery(request, query);
    bindParams(request, match.params);
    return request;
  }

  encode(route: HttpRoute, reply: unknown, accept: string | undefined): { contentType: string; bytes: Buffer } | undefined {
    if (route.raw === true) {
      const r = reply as { contentType: string; body: string | Buffer };
      return { contentType: r.contentType, bytes: Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body) };
    }
    let value = reply;
    for (const f of route.reply?.field ?? []) value = (value as Record<string, unknown> | undefined)?.[f];
    if (route.reply?.httpBody === true) return rawHttpBody(value);
    const { codec, contentType } = this.codecs.negotiate(accept);
    if (route.reply === undefined) {
      if (reply === undefined || reply === null) return undefined;
      return { contentType, bytes: codec.marshal(reply) };
    }
    const { type, toPlain } = route.reply;
    if (toPlain !== undefined) return { contentType, bytes: codec.marshal(toPlain(value)) };
    return { contentType, bytes: codec.marshal(value ?? (type === undefined ? null : {}), type) };
  }
}
