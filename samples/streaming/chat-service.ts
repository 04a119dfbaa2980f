import { Module, Rpc, Service } from 'kratos-ts/decorators';

type Message = { room: string; text: string };

/** chat.v1.Chat: `async *` (or, for replies at hand, an iterable) for rpcs that stream replies, `for await` over rpcs that stream requests. */
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

  /**
   * The messages are already in memory: a plain method returns them (a `*` generator would do too), and
   * each transport writes them without a promise per message, stopping if the client goes.
   */
  @Rpc()
  history(req: { room: string; last: number }): Message[] {
    return (this.#rooms.get(req.room) ?? []).slice(-req.last);
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
