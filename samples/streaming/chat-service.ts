import type { Context } from 'kratos-ts';
import { Module, Rpc, Service } from 'kratos-ts/decorators';

type Message = { room: string; text: string };

/** chat.v1.Chat: `async *` for rpcs that stream replies, `for await` over rpcs that stream requests. */
@Service({ proto: 'api/chat/v1/chat.proto', name: 'chat.v1.Chat' })
export class ChatService {
  readonly #rooms = new Map<string, Message[]>();

  @Rpc()
  async send(req: Message): Promise<{ count: number }> {
    const room = this.#rooms.get(req.room) ?? [];
    room.push(req);
    this.#rooms.set(req.room, room);
    return { count: room.length };
  }

  @Rpc()
  async *history(req: { room: string; last: number }, ctx: Context): AsyncIterable<Message> {
    for (const m of (this.#rooms.get(req.room) ?? []).slice(-req.last)) {
      if (ctx.signal.aborted) return;
      yield m;
    }
  }

  @Rpc()
  async upload(messages: AsyncIterable<Message>): Promise<{ count: number }> {
    let count = 0;
    for await (const m of messages) count = (await this.send(m)).count;
    return { count };
  }

  @Rpc()
  async *live(messages: AsyncIterable<Message>): AsyncIterable<Message> {
    for await (const m of messages) yield { room: m.room, text: m.text.toUpperCase() };
  }
}

@Module({ services: [ChatService] })
export class ChatModule {}
