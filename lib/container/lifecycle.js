/** Whether `value` has the hook method. */
export function hasHook(value, hook) {
    return typeof value === 'object' && value !== null && typeof value[hook] === 'function';
}
