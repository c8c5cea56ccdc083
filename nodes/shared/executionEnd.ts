/**
 * n8n 2.33 and later tells a node when its execution ends (`onExecutionFinish`), not when it
 * pauses at a Wait. A handler belongs to one run of the engine: after a Wait that n8n moved to
 * the database the execution resumes in a new engine (possibly in another worker) and the
 * handlers registered before are gone, so a handler is registered again in each engine, once
 * (an engine is known by its cancel signal). n8n 1.x offers no such hook.
 */
export interface EndHooks {
	getExecutionId(): string | undefined;
	onExecutionFinish?(handler: () => unknown): void;
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

const registered = new WeakMap<object, Set<string>>();
const withoutSignal = new Set<string>();

/** Runs `handler` when the execution ends; false where n8n cannot tell (1.x). */
export function onEnd(ctx: EndHooks, name: string, handler: () => void): boolean {
	if (typeof ctx.onExecutionFinish !== 'function') return false;
	const engine = ctx.getExecutionCancelSignal?.();
	const names = engine ? (registered.get(engine) ?? new Set<string>()) : withoutSignal;
	if (engine) registered.set(engine, names);
	if (!names.has(name)) {
		names.add(name);
		ctx.onExecutionFinish(() => {
			names.delete(name);
			handler();
		});
	}
	return true;
}
