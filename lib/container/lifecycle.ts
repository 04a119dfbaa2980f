/** Called once after the provider is built, at boot, after its dependencies' onInit. */
export interface OnInit {
  onInit(): void | Promise<void>;
}
/** Called when the app starts, before servers listen, after its dependencies' onStart. */
export interface OnStart {
  onStart(): void | Promise<void>;
}
/** Called when the app stops, after servers drained, before its dependencies' onStop. */
export interface OnStop {
  onStop(): void | Promise<void>;
}
/** Called last at shutdown, before its dependencies' onDestroy. */
export interface OnDestroy {
  onDestroy(): void | Promise<void>;
}

export type LifecycleHook = 'onInit' | 'onStart' | 'onStop' | 'onDestroy';

/** Whether `value` has the hook method. */
export function hasHook(value: unknown, hook: LifecycleHook): value is Record<LifecycleHook, () => unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[hook] === 'function';
}
