import { DataDeduplicationService } from 'n8n-core';

import { timing } from '../../nodes/shared/keyClaim';
import {
	sleep,
	type DeduplicationItemTypes,
	type DeduplicationScope,
	type ICheckProcessedContextData,
	type ICheckProcessedOptions,
	type IDataDeduplicator,
	type IDeduplicationOutput,
} from 'n8n-workflow';

/**
 * The deduplication store n8n's CLI registers at start, in memory: one list of values per
 * workflow and node, read, changed and written back with no lock, as n8n's database-backed
 * store does. `gapMs` widens the time between the read and the write, so that tests can
 * make two claims overlap as they can in n8n; `failure` makes every call throw.
 */
class MemoryDeduplicator implements IDataDeduplicator {
	readonly rows = new Map<string, string[]>();
	gapMs = 0;
	failure: string | undefined;
	/** Fail only the next this many calls (a transient error), before they read. */
	failures = 0;
	/** Fail these calls (counted from 1, all kinds), before they read. */
	failCalls = new Set<number>();
	private callCount = 0;
	/** Calls made, by kind. */
	readonly calls = { record: 0, remove: 0 };

	reset() {
		this.rows.clear();
		this.gapMs = 0;
		this.failure = undefined;
		this.failures = 0;
		this.failCalls = new Set();
		this.callCount = 0;
		this.calls.record = 0;
		this.calls.remove = 0;
	}

	private row(scope: DeduplicationScope, context: ICheckProcessedContextData) {
		return `${context.workflow.id}|${scope === 'node' ? `n:${context.node?.id}` : ''}`;
	}

	private async change(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		edit: (values: string[]) => void,
	) {
		if (this.failure) throw new Error(this.failure);
		if (this.failCalls.has(++this.callCount)) throw new Error('database is locked');
		if (this.failures > 0) {
			this.failures--;
			throw new Error('database is locked');
		}
		const key = this.row(scope, context);
		const values = [...(this.rows.get(key) ?? [])];
		if (this.gapMs) await sleep(this.gapMs);
		edit(values);
		this.rows.set(key, values);
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls.record++;
		const output: IDeduplicationOutput = { new: [], processed: [] };
		await this.change(scope, context, (values) => {
			for (const item of items) {
				if (values.includes(String(item))) output.processed.push(item);
				else {
					output.new.push(item);
					values.push(String(item));
				}
			}
			if (options.maxEntries) values.splice(0, values.length - options.maxEntries);
		});
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<void> {
		this.calls.remove++;
		await this.change(scope, context, (values) => {
			for (const item of items) {
				const at = values.indexOf(String(item));
				if (at !== -1) values.splice(at, 1);
			}
		});
	}

	async clearAllProcessedItems(scope: DeduplicationScope, context: ICheckProcessedContextData) {
		this.rows.delete(this.row(scope, context));
	}

	async getProcessedDataCount(scope: DeduplicationScope, context: ICheckProcessedContextData) {
		return this.rows.get(this.row(scope, context))?.length ?? 0;
	}
}

export const deduplicationStore = new MemoryDeduplicator();

/**
 * The claim's waits, shortened for the engine-level suites so that a keyed run takes about
 * 1.2 s instead of 5 s; the protocol itself is tested with the real timings on a virtual
 * clock (test/key-claim.test.ts). The shares are generous (calls here take 0 to 50 ms, a look
 * may take 300): a loaded machine must not make them "too slow".
 */
Object.assign(timing, { settleMs: 600, slowMs: 1000, looks: 2 });
// Registered once per test file (jest gives each file its own modules), as n8n's CLI does once per process.
void DataDeduplicationService.init(deduplicationStore);
