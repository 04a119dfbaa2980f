"""Loads a FileDescriptorSet (stdin) into a fresh python3-protobuf descriptor pool, as a reflection
client does with what a server sends, and builds a message class for every message in it.

Prints one JSON object: the files and the number of message classes built. Fails (exit 1, message on
stderr) on anything the pool refuses.
"""
import json
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def message_class(descriptor):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def main():
    fds = descriptor_pb2.FileDescriptorSet.FromString(sys.stdin.buffer.read())
    files = {f.name: f for f in fds.file}
    pool = descriptor_pool.DescriptorPool()
    added = []

    def add(name):
        if name in added:
            return
        for dep in files[name].dependency:
            add(dep)
        pool.Add(files[name])
        added.append(name)

    for name in sorted(files):
        add(name)
    built = 0

    def build(desc):
        nonlocal built
        message_class(desc)
        built += 1
        for nested in desc.nested_types:
            build(nested)

    for name in added:
        for desc in pool.FindFileByName(name).message_types_by_name.values():
            build(desc)
    print(json.dumps({"files": sorted(added), "classes": built}))


if __name__ == "__main__":
    main()
