import type { Outcome } from './action';
import { onEnd, type EndHooks } from './executionEnd';

/**
 * What this process remembers of each item's tries, for Retry On Fail: n8n runs the node
 * again with all its items, in the same execution and run. An item whose earlier try got a
 * result (done) or left it unknown is not sent again, whatever its parameters evaluate to
 * now: it is replayed. Remembered by execution (its own id: a sub-workflow's items are its
 * own), node, run and item; a run that ends cleanly is forgotten at once, since n8n retries
 * only a run that failed.
 *
 * Dropped when n8n reports the execution's end (n8n 2.33 and later), or, where it cannot (1.x),
 * after an hour without use; and, the oldest first, beyond MAX_ENTRIES items in all. There
 * are no timers (n8n Cloud forbids them): stale entries are dropped on use.
 */

interface ItemRecord {
	/** What the item asked for on that try, as JSON. */
	asked: string;
	outcome: Outcome;
}

interface ExecutionRecord {
	usedAt: number;
	entries: number;
	/** Node name -> run -> item index -> what the item's last try did. */
	nodes: Map<string, Map<string, Map<number, ItemRecord>>>;
	/** Whether n8n will report the end: then no idle expiry. */
	ends: boolean;
}

const MAX_ENTRIES = 100_000;
const MAX_IDLE_MS = 60 * 60 * 1_000;

const executions = new Map<string, ExecutionRecord>();
let totalEntries = 0;

function drop(id: string) {
	const record = executions.get(id);
	if (!record) return;
	totalEntries -= record.entries;
	executions.delete(id);
}

function prune(now: number, keep: string) {
	// Map keeps insertion order and used records are re-inserted: the least recently used come first.
	for (const [id, record] of executions) {
		if (id === keep) continue;
		const stale = !record.ends && now - record.usedAt > MAX_IDLE_MS;
		if (totalEntries <= MAX_ENTRIES && !stale) break;
		drop(id);
	}
}

export interface ItemMemory {
	recall(run: string, itemIndex: number): ItemRecord | undefined;
	/** Every item of the run an earlier try left unknown. */
	unknownItems(run: string): number[];
	remember(run: string, itemIndex: number, asked: string, outcome: Outcome): void;
	forgetRun(run: string): void;
}

export function itemMemory(ctx: EndHooks, nodeName: string): ItemMemory {
	// Without an execution id, two executions could share one record and one could replay the
	// other's order: such a run gets a record of its own that nobody else sees.
	const executionId = ctx.getExecutionId();
	let local: ExecutionRecord | undefined;

	/** The execution's record, created on the first write only: a run that sends nothing leaves nothing. */
	function record(create: boolean): ExecutionRecord | undefined {
		if (!executionId) {
			if (create) local ??= { usedAt: 0, entries: 0, nodes: new Map(), ends: true };
			return local;
		}
		const now = Date.now();
		let found = executions.get(executionId);
		if (found && !found.ends && now - found.usedAt > MAX_IDLE_MS) {
			drop(executionId);
			found = undefined;
		}
		if (!found && !create) return undefined;
		if (!found) found = { usedAt: now, entries: 0, nodes: new Map(), ends: false };
		if (onEnd(ctx, `items:${executionId}`, () => drop(executionId))) found.ends = true;
		found.usedAt = now;
		executions.delete(executionId);
		executions.set(executionId, found);
		prune(now, executionId);
		return found;
	}

	const runs = (create: boolean) => {
		const execution = record(create);
		let found = execution?.nodes.get(nodeName);
		if (!found && create && execution) execution.nodes.set(nodeName, (found = new Map()));
		return found;
	};

	function count(delta: number) {
		const execution = record(false);
		if (!execution) return;
		execution.entries += delta;
		if (execution !== local) totalEntries += delta;
	}

	return {
		recall: (run, itemIndex) => runs(false)?.get(run)?.get(itemIndex),
		unknownItems: (run) =>
			[...(runs(false)?.get(run)?.entries() ?? [])]
				.filter(([, item]) => item.outcome.kind === 'unknown')
				.map(([index]) => index),
		remember(run, itemIndex, asked, outcome) {
			if (outcome.kind !== 'done' && outcome.kind !== 'unknown') return;
			const all = runs(true) as Map<string, Map<number, ItemRecord>>;
			let items = all.get(run);
			if (!items) all.set(run, (items = new Map()));
			if (!items.has(itemIndex)) count(1);
			items.set(itemIndex, { asked, outcome });
		},
		forgetRun(run) {
			const items = runs(false)?.get(run);
			if (!items) return;
			count(-items.size);
			runs(false)?.delete(run);
		},
	};
}

/** For tests and benchmarks: executions remembered, and the items they hold. */
export function memorySize(): { executions: number; entries: number } {
	return { executions: executions.size, entries: totalEntries };
}
