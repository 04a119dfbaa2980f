import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CodecRegistry, Negotiated } from '../../encoding/index.js';
import { publicError } from '../../errors/index.js';
import type { Admission } from '../admission.js';
import type { EncodedError, ErrorEncoder } from './codecs.js';
import { closeAfterReply } from './connections.js';
import { HttpContext } from './http-context.js';
import { httpStatus, writeReply } from './reply.js';
import { absolutePath } from './request-errors.js';
import { takenBodiless } from './body.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What the front door needs of its server to answer as the server's own error path would. */
export interface FrontDoorServer {
  codecs: CodecRegistry;
  encodeError: ErrorEncoder;
  exposeErrorDetail: boolean;
  endpoint(): string;
  draining(): boolean;
  /** Whether the protocol served beside the routes (gRPC-Web) takes this request: it sheds in its own chain. */
  claimedByProtocol(req: IncomingMessage, path: string): boolean;
}

/** The operation name a refused call's context carries while its reply is encoded (once per Accept). */
const FRONT_DOOR_OPERATION = 'front-door';

// A refused request's body is not read: node discards a small one and keeps the connection; past this
// (or of unknown length) the connection is closed after the reply, as for any unread body.
const DISCARDED_BODY_LIMIT = 64 * 1024;
// As many encoded refusals as the codec registry keeps negotiations: it makes new objects past that.
const KEPT_REPLIES = 64;

/**
 * Puts `admission` in front of a request listener (docs/resilience-and-security.md#shedding-at-the-front-door):
 * a refused request is answered at once with the server's encoding of the refusal, built on the first
 * refusal for each Accept value and kept; an admitted one reports its end to the admission when its
 * response closes, and runs when the admission's pacer hands it over, if it has one. Requests the gRPC-Web protocol claims (their status travels in the body) pass
 * untouched to its middleware.
 */
export function frontDoor(listener: Listener, admission: Admission | undefined, server: FrontDoorServer): Listener {
  if (admission === undefined) return listener;
  const error = publicError(admission.refusal, server.exposeErrorDetail);
  const replies = new Map<Negotiated, EncodedError>();
  const hold = admission.hold?.bind(admission);
  const refuse = (req: IncomingMessage, res: ServerResponse): void => {
    const negotiated = server.codecs.negotiate(req.headers.accept);
    let out = replies.get(negotiated);
    if (out === undefined) {
      out = server.encodeError(error, negotiated, new HttpContext(req, res, FRONT_DOOR_OPERATION, server.endpoint(), undefined));
      if (replies.size >= KEPT_REPLIES) replies.clear();
      replies.set(negotiated, out);
    }
    const unread = hasLargeBody(req);
    // Refusals are much of what an overloaded server spends: one without a body is taken as read, not dumped.
    if (!unread) takenBodiless(req, req.method ?? 'GET');
    writeReply(res, httpStatus(out.status ?? error.code), out, server.draining() || unread, req.method === 'HEAD');
    if (unread) closeAfterReply(req, res);
  };
  return (req, res) => {
    const url = req.url ?? '/';
    // An absolute-form target (`GET http://host/healthz`) is decided on by its path, as it is routed.
    const path = url.startsWith('/') ? url : absolutePath(url);
    if (req.method !== 'GET' && server.claimedByProtocol(req, path)) return listener(req, res);
    const done = admission.admit(path);
    if (done === undefined) return refuse(req, res);
    if (hold === undefined) {
      res.once('close', done);
      return listener(req, res);
    }
    // A held request whose client went away is dropped; the admission tells the limiter it never ran.
    hold(done, (refused) => {
      if (req.socket.destroyed) return false;
      if (refused) return refuse(req, res), false;
      res.once('close', done);
      listener(req, res);
      return true;
    }, 1);
  };
}

function hasLargeBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && !(Number(length) <= DISCARDED_BODY_LIMIT);
}
