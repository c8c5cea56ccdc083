import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * n8n's deduplication store as a key claim uses it: one node's list, and each call timed,
 * since the claim rests on how long calls take.
 */

/** Keys and markers kept per node, the oldest dropped first (n8n's own trimming). */
export const MAX_ENTRIES = 20_000;

export interface Timed<T> {
	result: T;
	took: number;
}

/**
 * The store calls a claim makes on one node's list: n8n's helpers, narrowed. Each call says
 * how long it took from its start to its answer, not counting a wait for its turn behind
 * this process's other calls: that is what the bound is about.
 */
export interface KeyStore {
	/** Records the values; answers which of them were there already. */
	record(values: string[]): Promise<Timed<string[]>>;
	remove(values: string[]): Promise<Timed<void>>;
}

/** Runs one store call and measures it. */
export async function timed<T>(call: () => Promise<T>): Promise<Timed<T>> {
	const started = Date.now();
	const result = await call();
	return { result, took: Date.now() - started };
}

const OPTIONS = { mode: 'entries' as const, maxEntries: MAX_ENTRIES };

/** One list per node: calls from this process go one at a time, so they never erase each other. */
const queues = new Map<string, Promise<unknown>>();

function inTurn<T>(list: string, call: () => Promise<T>): Promise<T> {
	const next = (queues.get(list) ?? Promise.resolve()).then(call, call);
	const settled = next.catch(() => undefined);
	queues.set(list, settled);
	void settled.then(() => queues.get(list) === settled && queues.delete(list));
	return next;
}

/** n8n's deduplication store, this node's list, or undefined on an n8n without one (before 1.64). */
export function nodeKeyStore(ctx: IExecuteFunctions): KeyStore | undefined {
	const helpers = ctx.helpers as Partial<IExecuteFunctions['helpers']>;
	const { checkProcessedAndRecord, removeProcessed } = helpers;
	if (typeof checkProcessedAndRecord !== 'function' || typeof removeProcessed !== 'function') {
		return undefined;
	}
	const list = `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().id}`;
	return {
		record: async (values) =>
			await inTurn(list, async () => {
				const call = await timed(
					async () => await checkProcessedAndRecord.call(helpers, values, 'node', OPTIONS),
				);
				return { result: call.result.processed.map(String), took: call.took };
			}),
		remove: async (values) =>
			await inTurn(
				list,
				async () =>
					await timed(async () => await removeProcessed.call(helpers, values, 'node', OPTIONS)),
			),
	};
}
