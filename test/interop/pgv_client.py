"""An independent gRPC caller (python3-grpcio + python3-protobuf) for the PGV interop test.

Messages come from a FileDescriptorSet written by protoc, never from kratos-ts. Usage:
pgv_client.py PORT DESCRIPTOR_SET METHOD REQUEST_TYPE REQUEST_JSON; prints {"code": ..., "details": ..., "metadata": {...}}.
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def main():
    port, desc, method, req_type, req_json = sys.argv[1:6]
    fds = descriptor_pb2.FileDescriptorSet()
    with open(desc, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fd in fds.file:
        pool.Add(fd)
    req_cls = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName(req_type))
    req = json_format.Parse(req_json, req_cls(), descriptor_pool=pool)
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    call = channel.unary_unary(method, request_serializer=lambda m: m.SerializeToString(), response_deserializer=lambda b: b)
    out = {"code": "OK", "details": "", "metadata": {}}
    try:
        call(req, timeout=10)
    except grpc.RpcError as e:
        out = {"code": e.code().name, "details": e.details(), "metadata": {k: v for k, v in (e.trailing_metadata() or []) if isinstance(v, str)}}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
