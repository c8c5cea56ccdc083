import type { Outcome } from './action';

/**
 * What this process remembers of each execution's orders, for three guards:
 * - Retry On Fail runs the node again with all its items, in the same execution and run:
 *   an item placed by an earlier try is replayed, an item whose outcome is unknown is not
 *   sent again, whatever its parameters evaluate to now (remembered by run and item).
 * - Max Proxies Per Execution counts what the node ordered, or may have ordered, across all
 *   its runs in one execution: tool calls of an AI agent, loops, retries.
 * - An order that ended unknown is not repeated identically by a later run of the node.
 *
 * n8n runs an execution in one process (one worker in queue mode), so process memory sees
 * all of it. An execution is forgotten when n8n reports its end (n8n 2.x), after an hour
 * without use, or, the oldest first, when the memory holds more than MAX_ENTRIES items.
 * There are no timers (n8n Cloud forbids them): stale entries are dropped on use.
 */

interface ItemRecord {
	/** The order's body as sent, as JSON: what the item asked for on that try. */
	order: string;
	outcome: Outcome;
}

interface NodeRecord {
	/** Quantity placed, unknown, or reserved by a run that is sending. */
	spent: number;
	/** An order's body, as JSON -> the run in which it ended unknown. */
	unknownOrders: Map<string, string>;
	/** Run -> item index -> what the item's last try did. */
	runs: Map<string, Map<number, ItemRecord>>;
}

interface ExecutionRecord {
	usedAt: number;
	entries: number;
	nodes: Map<string, NodeRecord>;
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
		if (totalEntries <= MAX_ENTRIES && now - record.usedAt <= MAX_IDLE_MS) break;
		drop(id);
	}
}

export interface NodeMemory {
	recall(run: string, itemIndex: number): ItemRecord | undefined;
	remember(run: string, itemIndex: number, order: string, outcome: Outcome): void;
	forgetRun(run: string): void;
	spent(): number;
	reserve(quantity: number): void;
	release(quantity: number): void;
	/** Whether an identical order ended unknown in another run of this node. */
	unknownElsewhere(order: string, run: string): boolean;
}

interface ExecutionHooks {
	getExecutionId(): string | undefined;
	onExecutionFinish?(handler: () => unknown): void;
}

export function nodeMemory(ctx: ExecutionHooks, nodeName: string): NodeMemory {
	// Without an execution id, two executions could share one record and one could replay the
	// other's order: such a run gets a record of its own that nobody else sees.
	const executionId = ctx.getExecutionId();
	let local: ExecutionRecord | undefined;

	/** The execution's record, created on the first write only: a run that sends nothing leaves nothing. */
	function record(create: boolean): ExecutionRecord | undefined {
		if (!executionId) {
			if (create) local ??= { usedAt: 0, entries: 0, nodes: new Map() };
			return local;
		}
		const now = Date.now();
		let found = executions.get(executionId);
		if (found && now - found.usedAt > MAX_IDLE_MS) {
			drop(executionId);
			found = undefined;
		}
		if (!found && !create) return undefined;
		if (!found) {
			found = { usedAt: now, entries: 0, nodes: new Map() };
			ctx.onExecutionFinish?.(() => drop(executionId));
		}
		found.usedAt = now;
		executions.delete(executionId);
		executions.set(executionId, found);
		prune(now, executionId);
		return found;
	}

	function node(create: boolean): NodeRecord | undefined {
		const execution = record(create);
		let found = execution?.nodes.get(nodeName);
		if (!found && create && execution) {
			found = { spent: 0, unknownOrders: new Map(), runs: new Map() };
			execution.nodes.set(nodeName, found);
		}
		return found;
	}

	function count(delta: number) {
		const execution = record(false);
		if (!execution) return;
		execution.entries += delta;
		if (execution !== local) totalEntries += delta;
	}

	return {
		recall(run, itemIndex) {
			return node(false)?.runs.get(run)?.get(itemIndex);
		},
		remember(run, itemIndex, order, outcome) {
			if (outcome.kind !== 'done' && outcome.kind !== 'unknown') return;
			const found = node(true) as NodeRecord;
			let items = found.runs.get(run);
			if (!items) found.runs.set(run, (items = new Map()));
			if (!items.has(itemIndex)) count(1);
			items.set(itemIndex, { order, outcome });
			if (outcome.kind === 'unknown') {
				if (!found.unknownOrders.has(order)) count(1);
				found.unknownOrders.set(order, run);
			}
		},
		forgetRun(run) {
			const items = node(false)?.runs.get(run);
			if (!items) return;
			count(-items.size);
			node(false)?.runs.delete(run);
		},
		spent() {
			return node(false)?.spent ?? 0;
		},
		reserve(quantity) {
			(node(true) as NodeRecord).spent += quantity;
		},
		release(quantity) {
			const found = node(false);
			if (found) found.spent = Math.max(0, found.spent - quantity);
		},
		unknownElsewhere(order, run) {
			const where = node(false)?.unknownOrders.get(order);
			return where !== undefined && where !== run;
		},
	};
}

/** For tests and benchmarks: executions remembered, and the items and orders they hold. */
export function memorySize(): { executions: number; entries: number } {
	return { executions: executions.size, entries: totalEntries };
}
