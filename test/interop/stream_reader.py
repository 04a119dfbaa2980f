"""An independent reader of a server stream (Debian's python3-grpcio), for the batching reply writer.

Calls echo.v1.Echo/Count on 127.0.0.1:PORT with Msg(text=TEXT, n=COUNT), reads the stream to its end
and prints, as JSON, the `n` of every message in the order read, the text of the first, the reply
header `x-reply` and the status the call ended with. Messages are decoded with descriptors written here.
Usage: stream_reader.py PORT COUNT TEXT
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2

from slow_stream_client import message_classes

INT32, INT64, STRING, OPTIONAL = 5, 3, 9, 1


def msg_class():
    fdp = descriptor_pb2.FileDescriptorProto(name="echo.proto", package="echo.v1", syntax="proto3")
    msg = fdp.message_type.add(name="Msg")
    msg.field.add(name="text", number=1, type=STRING, label=OPTIONAL)
    msg.field.add(name="n", number=2, type=INT32, label=OPTIONAL)
    msg.field.add(name="big", number=3, type=INT64, label=OPTIONAL)
    return message_classes(fdp, "echo.v1.Msg")[0]


def main():
    port, count, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    Msg = msg_class()
    ch = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(ch).result(timeout=5)
    count_rpc = ch.unary_stream("/echo.v1.Echo/Count", request_serializer=Msg.SerializeToString, response_deserializer=Msg.FromString)
    call = count_rpc(Msg(text=text, n=count), timeout=30)
    ns, first, code = [], None, "OK"
    try:
        for m in call:
            if first is None:
                first = m.text
            ns.append(m.n)
    except grpc.RpcError as e:
        code = e.code().name
    header = dict(call.initial_metadata() or ()).get("x-reply")
    print(json.dumps({"ns": ns, "first": first, "header": header, "code": code}), flush=True)
    ch.close()


if __name__ == "__main__":
    main()
