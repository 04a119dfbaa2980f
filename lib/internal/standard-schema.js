/** Whether `value` implements Standard Schema v1. */
export function isStandardSchema(value) {
    const std = value?.['~standard'];
    return typeof std === 'object' && std !== null && std.version === 1 && typeof std.validate === 'function';
}
