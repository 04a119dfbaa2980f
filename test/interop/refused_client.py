"""An independent gRPC client (Debian's python3-grpcio) for the limiter's refusals.

Calls helloworld.v1.Greeter/SayHello on 127.0.0.1:PORT and prints, as JSON, the status it got: its
code name, details, the ErrorInfo reason from grpc-status-details-bin (google.rpc.Status, described
here), that trailer's raw bytes in hex, and what grpc.health.v1.Health/Check answered (its status, or its error's code name).
Usage: refused_client.py PORT
"""
import json
import sys

import grpc

from grpc_client import cls, greeter, status_details


def main():
    pool, ch, say, Req, Status, ErrorInfo = greeter(sys.argv[1])
    out = {}
    try:
        out["message"] = say(Req(name="py"), timeout=5).message
    except grpc.RpcError as e:
        err = {"code": e.code().name, "details": e.details()}
        raw, st, info = status_details(e, Status, ErrorInfo)
        if st is not None:
            err["details_bin"] = raw.hex()
            err["status_code"] = st.code
            err["status_message"] = st.message
        if info is not None:
            err["reason"] = info.reason
        out["error"] = err
    HReq, HRes = cls(pool, "grpc.health.v1.HealthCheckRequest"), cls(pool, "grpc.health.v1.HealthCheckResponse")
    check = ch.unary_unary("/grpc.health.v1.Health/Check", request_serializer=HReq.SerializeToString, response_deserializer=HRes.FromString)
    try:
        out["health"] = check(HReq(service=""), timeout=5).status
    except grpc.RpcError as e:
        out["health"] = e.code().name
    print(json.dumps(out))


if __name__ == "__main__":
    main()
