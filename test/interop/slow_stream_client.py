"""A slow reader of a server stream (Debian's python3-grpcio), for the writer's backpressure.

Calls ticker.v1.Ticker/Ticks on 127.0.0.1:PORT for an endless stream of padded ticks, reads one,
prints "first" and stops reading for PAUSE seconds, reads READ more, then cancels. Prints, as JSON,
the tick numbers it read (decoded with descriptors written here) and the status the call ended with.
Usage: slow_stream_client.py PORT PAUSE READ
"""
import json
import sys
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

INT32, STRING, OPTIONAL = 5, 9, 1


def classes():
    fdp = descriptor_pb2.FileDescriptorProto(name="ticker.proto", package="ticker.v1", syntax="proto3")
    req = fdp.message_type.add(name="TicksRequest")
    for number, name in enumerate(["count", "fail_at", "interval_ms", "size"], start=1):
        req.field.add(name=name, number=number, type=INT32, label=OPTIONAL)
    tick = fdp.message_type.add(name="Tick")
    tick.field.add(name="n", number=1, type=INT32, label=OPTIONAL)
    tick.field.add(name="pad", number=2, type=STRING, label=OPTIONAL)
    return message_classes(fdp, "ticker.v1.TicksRequest", "ticker.v1.Tick")


def message_classes(fdp, *names):
    """The message classes of a FileDescriptorProto, by full name (older protobuf has no GetMessageClass)."""
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    get = getattr(message_factory, "GetMessageClass", None)
    if get is None:
        get = message_factory.MessageFactory(pool).GetPrototype
    return tuple(get(pool.FindMessageTypeByName(n)) for n in names)


def main():
    port, pause, read = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    Req, Tick = classes()
    ch = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(ch).result(timeout=5)
    ticks = ch.unary_stream("/ticker.v1.Ticker/Ticks", request_serializer=Req.SerializeToString, response_deserializer=Tick.FromString)
    call = ticks(Req(count=0, size=1000), timeout=30)
    seen = [next(call).n]
    print("first", flush=True)
    time.sleep(pause)
    for _ in range(read):
        seen.append(next(call).n)
    call.cancel()
    code = None
    try:
        for _ in call:
            pass
    except grpc.RpcError as e:
        code = e.code().name
    print(json.dumps({"ticks": seen, "code": code}), flush=True)
    ch.close()


if __name__ == "__main__":
    main()
