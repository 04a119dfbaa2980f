"""A reflection client as grpcurl or Postman are, on Debian's python3-grpcio and python3-protobuf.

It starts from nothing but the reflection protocol (whose few messages are described here by hand,
with the field numbers of grpc/reflection/v1/reflection.proto), fetches every file the server
describes, loads them all into a fresh descriptor pool (which refuses anything protoc would not
have produced consistently), reads option extensions back, then calls METHOD with REQUEST_JSON
using message classes built only from the reflected descriptors.

Usage: reflection_client.py PORT VERSION(v1|v1alpha) METHOD(pkg.Service/Method) REQUEST_JSON
Prints one JSON object with what it saw.
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

STRING, INT32, MESSAGE, BYTES = 9, 5, 11, 12
OPTIONAL, REPEATED = 1, 3


def reflection_pool(version):
    pkg = "grpc.reflection." + version
    fdp = descriptor_pb2.FileDescriptorProto(name="bootstrap_reflection.proto", package=pkg, syntax="proto3")

    def msg(name, fields, oneof=None):
        m = fdp.message_type.add(name=name)
        if oneof:
            m.oneof_decl.add(name=oneof)
        for number, fname, ftype, label, type_name, in_oneof in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = "." + pkg + "." + type_name
            if in_oneof:
                f.oneof_index = 0

    msg("ExtensionRequest", [(1, "containing_type", STRING, OPTIONAL, None, False), (2, "extension_number", INT32, OPTIONAL, None, False)])
    msg("ServerReflectionRequest", [
        (1, "host", STRING, OPTIONAL, None, False),
        (3, "file_by_filename", STRING, OPTIONAL, None, True),
        (4, "file_containing_symbol", STRING, OPTIONAL, None, True),
        (5, "file_containing_extension", MESSAGE, OPTIONAL, "ExtensionRequest", True),
        (6, "all_extension_numbers_of_type", STRING, OPTIONAL, None, True),
        (7, "list_services", STRING, OPTIONAL, None, True),
    ], oneof="message_request")
    msg("FileDescriptorResponse", [(1, "file_descriptor_proto", BYTES, REPEATED, None, False)])
    msg("ExtensionNumberResponse", [(1, "base_type_name", STRING, OPTIONAL, None, False), (2, "extension_number", INT32, REPEATED, None, False)])
    msg("ServiceResponse", [(1, "name", STRING, OPTIONAL, None, False)])
    msg("ListServiceResponse", [(1, "service", MESSAGE, REPEATED, "ServiceResponse", False)])
    msg("ErrorResponse", [(1, "error_code", INT32, OPTIONAL, None, False), (2, "error_message", STRING, OPTIONAL, None, False)])
    msg("ServerReflectionResponse", [
        (1, "valid_host", STRING, OPTIONAL, None, False),
        (4, "file_descriptor_response", MESSAGE, OPTIONAL, "FileDescriptorResponse", True),
        (5, "all_extension_numbers_response", MESSAGE, OPTIONAL, "ExtensionNumberResponse", True),
        (6, "list_services_response", MESSAGE, OPTIONAL, "ListServiceResponse", True),
        (7, "error_response", MESSAGE, OPTIONAL, "ErrorResponse", True),
    ], oneof="message_response")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return pool, pkg


def classes_of(pool):
    # protobuf 4.21 (Debian bookworm) has MessageFactory.GetPrototype; newer ones GetMessageClass.
    if hasattr(message_factory, "GetMessageClass"):
        return lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
    factory = message_factory.MessageFactory(pool)
    return lambda name: factory.GetPrototype(pool.FindMessageTypeByName(name))


def add_in_dependency_order(pool, files):
    added = set()

    def add(name, trail):
        if name in added:
            return
        if name not in files:
            raise RuntimeError(f"{trail[-1]} imports {name}, which reflection did not serve")
        for dep in files[name].dependency:
            add(dep, trail + [name])
        pool.Add(files[name])
        added.add(name)

    for name in sorted(files):
        add(name, [name])


def main():
    port, version, method_path, request_json = sys.argv[1:5]
    rpool, pkg = reflection_pool(version)
    cls = classes_of(rpool)
    Req, Res = cls(pkg + ".ServerReflectionRequest"), cls(pkg + ".ServerReflectionResponse")
    ch = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(ch).result(timeout=15)
    info = ch.stream_stream(f"/{pkg}.ServerReflection/ServerReflectionInfo", request_serializer=Req.SerializeToString, response_deserializer=Res.FromString)

    def ask(**kw):
        (answer,) = list(info(iter([Req(**kw)]), timeout=15))
        if answer.HasField("error_response"):
            return {"error": answer.error_response.error_code}
        return answer

    out = {}
    services = [s.name for s in ask(list_services="").list_services_response.service]
    out["services"] = sorted(services)
    files = {}

    def take(answer):
        for raw in answer.file_descriptor_response.file_descriptor_proto:
            f = descriptor_pb2.FileDescriptorProto.FromString(raw)
            files.setdefault(f.name, f)

    for s in services:
        take(ask(file_containing_symbol=s))
    # Anything imported but not sent along is asked for by name, as grpcurl does.
    missing = [d for f in list(files.values()) for d in f.dependency if d not in files]
    while missing:
        take(ask(file_by_filename=missing.pop()))
        missing = [d for f in list(files.values()) for d in f.dependency if d not in files]
    out["files"] = sorted(files)
    pool = descriptor_pool.DescriptorPool()
    add_in_dependency_order(pool, files)
    for s in services:
        pool.FindServiceByName(s)
    miss = ask(file_containing_symbol="no.such.Symbol")
    out["unknown_symbol"] = miss["error"] if isinstance(miss, dict) else "found"
    ext = ask(file_containing_extension=cls(pkg + ".ExtensionRequest")(containing_type="google.protobuf.MethodOptions", extension_number=72295728))
    out["http_extension_file"] = [descriptor_pb2.FileDescriptorProto.FromString(b).name for b in ext.file_descriptor_response.file_descriptor_proto][:1]
    numbers = ask(all_extension_numbers_of_type="google.protobuf.FieldOptions").all_extension_numbers_response.extension_number
    out["field_option_extensions"] = sorted(numbers)

    service_name, method_name = method_path.split("/")
    method = pool.FindServiceByName(service_name).FindMethodByName(method_name)
    rcls = classes_of(pool)
    # Options come back as bytes of the reflected options messages: read the extensions through them.
    svc_file = files[method.containing_service.file.name]
    svc_proto = next(s for s in svc_file.service if s.name == method.containing_service.name)
    mproto = next(m for m in svc_proto.method if m.name == method_name)
    if hasattr(message_factory, "GetMessageClassesForFiles"):
        message_factory.GetMessageClassesForFiles(sorted(files), pool)
        MethodOptions = message_factory.GetMessageClass(pool.FindMessageTypeByName("google.protobuf.MethodOptions"))
    else:
        factory = message_factory.MessageFactory(pool)
        factory.GetMessages(sorted(files))
        MethodOptions = factory.GetPrototype(pool.FindMessageTypeByName("google.protobuf.MethodOptions"))
    opts = MethodOptions.FromString(mproto.options.SerializeToString())
    http = pool.FindExtensionByName("google.api.http")
    out["http_rule"] = json_format.MessageToDict(opts.Extensions[http], preserving_proto_field_name=True)

    In, Out = rcls(method.input_type.full_name), rcls(method.output_type.full_name)
    request = json_format.Parse(request_json, In(), descriptor_pool=pool)
    call = ch.unary_unary(f"/{service_name}/{method_name}", request_serializer=In.SerializeToString, response_deserializer=Out.FromString)
    reply = call(request, timeout=15)
    out["sent"] = json_format.MessageToDict(request, descriptor_pool=pool)
    out["reply"] = json_format.MessageToDict(reply, descriptor_pool=pool)
    out["reply_equals_request"] = reply.SerializeToString(deterministic=True) == request.SerializeToString(deterministic=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
