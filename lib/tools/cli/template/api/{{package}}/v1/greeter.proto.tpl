syntax = "proto3";

package {{package}}.v1;

import "google/api/annotations.proto";
import "errors/errors.proto";

// The greeting service of {{name}}.
service Greeter {
  // Sends a greeting.
  rpc SayHello (SayHelloRequest) returns (SayHelloReply) {
    option (google.api.http) = { get: "/hello/{name}" };
  }
}

message SayHelloRequest {
  string name = 1;
}

message SayHelloReply {
  string message = 1;
}

enum ErrorReason {
  option (errors.default_code) = 500;
  ERROR_REASON_UNSPECIFIED = 0;
  USER_NOT_FOUND = 1 [(errors.code) = 404];
}
