"""An independent gRPC client (Debian's python3-grpcio) for kratos-ts interop tests.

It knows nothing of kratos-ts: messages are built from descriptors written here or fetched through
server reflection. Prints one JSON object with what it saw. Usage: grpc_client.py PORT
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

STRING, INT32, ENUM, MESSAGE, BYTES = 9, 5, 14, 11, 12
OPTIONAL, REPEATED = 1, 3


def add_message(fdp, name, fields):
    m = fdp.message_type.add(name=name)
    for number, (fname, ftype, label, type_name) in enumerate(fields, start=1):
        f = m.field.add(name=fname, number=number, type=ftype, label=label)
        if type_name:
            f.type_name = type_name
    return m


def local_pool():
    pool = descriptor_pool.DescriptorPool()
    hw = descriptor_pb2.FileDescriptorProto(name="hw.proto", package="helloworld.v1", syntax="proto3")
    add_message(hw, "HelloRequest", [("name", STRING, OPTIONAL, None)])
    add_message(hw, "HelloReply", [("message", STRING, OPTIONAL, None)])
    pool.Add(hw)
    rpc = descriptor_pb2.FileDescriptorProto(name="rpc.proto", package="google.rpc", syntax="proto3")
    add_message(rpc, "Any", [("type_url", STRING, OPTIONAL, None), ("value", BYTES, OPTIONAL, None)])
    add_message(rpc, "Status", [("code", INT32, OPTIONAL, None), ("message", STRING, OPTIONAL, None), ("details", MESSAGE, REPEATED, ".google.rpc.Any")])
    info = add_message(rpc, "ErrorInfo", [("reason", STRING, OPTIONAL, None), ("domain", STRING, OPTIONAL, None), ("metadata", MESSAGE, REPEATED, ".google.rpc.ErrorInfo.MetadataEntry")])
    entry = info.nested_type.add(name="MetadataEntry")
    entry.field.add(name="key", number=1, type=STRING, label=OPTIONAL)
    entry.field.add(name="value", number=2, type=STRING, label=OPTIONAL)
    entry.options.map_entry = True
    pool.Add(rpc)
    health = descriptor_pb2.FileDescriptorProto(name="health.proto", package="grpc.health.v1", syntax="proto3")
    add_message(health, "HealthCheckRequest", [("service", STRING, OPTIONAL, None)])
    add_message(health, "HealthCheckResponse", [("status", INT32, OPTIONAL, None)])
    pool.Add(health)
    refl = descriptor_pb2.FileDescriptorProto(name="reflection.proto", package="grpc.reflection.v1", syntax="proto3")
    req = add_message(refl, "ServerReflectionRequest", [("host", STRING, OPTIONAL, None)])
    # In a oneof, as in the real reflection.proto, so an empty list_services is still sent.
    req.oneof_decl.add(name="message_request")
    req.field.add(name="file_containing_symbol", number=4, type=STRING, label=OPTIONAL, oneof_index=0)
    req.field.add(name="list_services", number=7, type=STRING, label=OPTIONAL, oneof_index=0)
    res = refl.message_type.add(name="ServerReflectionResponse")
    res.field.add(name="file_descriptor_response", number=4, type=MESSAGE, label=OPTIONAL, type_name=".grpc.reflection.v1.FileDescriptorResponse")
    res.field.add(name="list_services_response", number=6, type=MESSAGE, label=OPTIONAL, type_name=".grpc.reflection.v1.ListServiceResponse")
    add_message(refl, "FileDescriptorResponse", [("file_descriptor_proto", BYTES, REPEATED, None)])
    add_message(refl, "ListServiceResponse", [("service", MESSAGE, REPEATED, ".grpc.reflection.v1.ServiceResponse")])
    add_message(refl, "ServiceResponse", [("name", STRING, OPTIONAL, None)])
    pool.Add(refl)
    return pool


def message_class(descriptor):
    # protobuf 4.21 (Debian bookworm) has MessageFactory.GetPrototype; newer ones GetMessageClass.
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def cls(pool, name):
    return message_class(pool.FindMessageTypeByName(name))


def status_details(e, Status, ErrorInfo):
    """An RpcError's grpc-status-details-bin trailer: its raw bytes, its google.rpc.Status and that
    status' ErrorInfo, each None where absent."""
    for k, v in e.trailing_metadata() or []:
        if k == "grpc-status-details-bin":
            st = Status.FromString(v)
            info = next((ErrorInfo.FromString(d.value) for d in st.details if d.type_url.endswith("google.rpc.ErrorInfo")), None)
            return v, st, info
    return None, None, None


def greeter(port):
    """A ready channel to 127.0.0.1:port, its SayHello callable, and the message classes both clients use."""
    pool = local_pool()
    Req, Rep = cls(pool, "helloworld.v1.HelloRequest"), cls(pool, "helloworld.v1.HelloReply")
    Status, ErrorInfo = cls(pool, "google.rpc.Status"), cls(pool, "google.rpc.ErrorInfo")
    ch = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(ch).result(timeout=5)
    say = ch.unary_unary("/helloworld.v1.Greeter/SayHello", request_serializer=Req.SerializeToString, response_deserializer=Rep.FromString)
    return pool, ch, say, Req, Status, ErrorInfo


def main():
    pool, ch, say, Req, Status, ErrorInfo = greeter(sys.argv[1])
    out = {}
    reply, call = say.with_call(Req(name="py"), metadata=[("x-md-global-caller", "python")], timeout=5)
    out["message"] = reply.message
    try:
        say(Req(name="error"), timeout=5)
        out["error"] = None
    except grpc.RpcError as e:
        err = {"code": e.code().name, "details": e.details()}
        _, _, info = status_details(e, Status, ErrorInfo)
        if info is not None:
            err["reason"] = info.reason
            err["metadata"] = dict(info.metadata)
        out["error"] = err
    HReq, HRes = cls(pool, "grpc.health.v1.HealthCheckRequest"), cls(pool, "grpc.health.v1.HealthCheckResponse")
    check = ch.unary_unary("/grpc.health.v1.Health/Check", request_serializer=HReq.SerializeToString, response_deserializer=HRes.FromString)
    out["health"] = check(HReq(service=""), timeout=5).status
    RReq, RRes = cls(pool, "grpc.reflection.v1.ServerReflectionRequest"), cls(pool, "grpc.reflection.v1.ServerReflectionResponse")
    info = ch.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", request_serializer=RReq.SerializeToString, response_deserializer=RRes.FromString)
    answers = list(info(iter([RReq(list_services=""), RReq(file_containing_symbol="helloworld.v1.Greeter")]), timeout=5))
    out["services"] = sorted(s.name for s in answers[0].list_services_response.service)
    # Call SayHello again with message classes built only from what reflection returned.
    reflected = descriptor_pool.DescriptorPool()
    pending = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in answers[1].file_descriptor_response.file_descriptor_proto]
    while pending:
        progress = False
        for f in list(pending):
            try:
                reflected.Add(f)
                pending.remove(f)
                progress = True
            except Exception:
                pass
        if not progress:
            raise RuntimeError("reflected files do not resolve: " + ", ".join(f.name for f in pending))
    method = reflected.FindServiceByName("helloworld.v1.Greeter").FindMethodByName("SayHello")
    RIn, ROut = message_class(method.input_type), message_class(method.output_type)
    again = ch.unary_unary("/helloworld.v1.Greeter/SayHello", request_serializer=RIn.SerializeToString, response_deserializer=ROut.FromString)
    out["reflected_message"] = again(RIn(name="reflection"), timeout=5).message
    print(json.dumps(out))


if __name__ == "__main__":
    main()
