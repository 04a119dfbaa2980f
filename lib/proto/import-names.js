// protobufjs only keeps the resolved path of each file; reflection clients ask for files by the name
// they were imported as, so the loader records that name per root as it resolves imports.
const names = new WeakMap();
/**
 * Remembers that `resolved` was loaded into `root` as `name` (`helloworld/v1/greeter.proto`). The
 * first name wins, so the entry file keeps its base name even if something imports it again.
 * @internal
 */
export function recordImportName(root, resolved, name) {
    let m = names.get(root);
    if (m === undefined)
        names.set(root, (m = new Map()));
    if (!m.has(resolved))
        m.set(resolved, name.split('\\').join('/'));
}
/** The name `resolved` was imported as into `root`, if the loader saw it. @internal */
export function importNameOf(root, resolved) {
    return names.get(root)?.get(resolved);
}
