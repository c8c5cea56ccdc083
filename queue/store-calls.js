'use strict';
// What n8n's deduplication store did, from the statements queue/db-latency-proxy.js saw.
// A store call (`checkProcessedAndRecord`, `removeProcessed`) is a findOne (SELECT) and then
// an UPDATE (an INSERT on a new row) of the node's whole hash list, with no lock between
// them. Reads and writes are paired per n8n process and row by content: a recording write's
// list starts with the list its read returned; a removal's list is part of it; an insert
// follows a read that found no row. Of the reads that fit, the oldest is taken.
//
// Per call: `duration`, from n8n taking a connection for the SELECT (n8n's TypeORM sends
// `SET search_path` and `SET statement_timeout` on each checkout) to the server's
// ReadyForQuery after the write: the store call as n8n waits for it, less the wait for a
// free connection before and the last hop back; `window`, from the
// SELECT to the write leaving n8n: with the same delay on both, the time between the read
// and the write on the server, when another call's write can land and be overwritten.
// `erased`: successful writes whose entries no later write of the row kept (each write
// builds on the state its read returned; a write that nothing built on, other than the
// row's last, was overwritten by a call that read an older state). This is measured from the
// data, not inferred from timing.

const quantile = (values, q) => {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => quantile(values, 0.5);
const max = (values) => (values.length ? Math.max(...values) : null);
const crypto = require('node:crypto');
const { digest } = require('./db-latency-proxy');

function fits(read, write) {
	if (write.kind === 'insert') return read.found === false;
	if (!read.found || !write.list || !read.list) return false;
	if (write.list.length >= read.list.length) {
		return digest(write.list.slice(0, read.list.length)) === read.digest;
	}
	const had = new Set(read.list);
	return write.list.every((h) => had.has(h));
}

/** Pairs reads and writes into store calls. */
function storeCalls(records) {
	const reads = records.filter((r) => r.kind === 'read').sort((a, b) => a.sentAt - b.sentAt);
	const writes = records
		.filter((r) => r.kind === 'write' || r.kind === 'insert')
		.sort((a, b) => a.sentAt - b.sentAt);
	const used = new Set();
	const calls = [];
	let unpaired = 0;
	for (const write of writes) {
		const read = reads.find(
			(r) =>
				!used.has(r) &&
				r.client === write.client &&
				r.row === write.row &&
				r.sentAt <= write.sentAt &&
				fits(r, write),
		);
		if (!read) {
			unpaired++;
			continue;
		}
		used.add(read);
		calls.push({
			client: write.client,
			row: write.row,
			kind:
				write.kind === 'insert'
					? 'insert'
					: write.list.length >= read.list.length
						? 'record'
						: 'remove',
			readAt: read.sentAt,
			writeAt: write.sentAt,
			doneAt: write.doneAt,
			duration: write.doneAt - read.checkoutAt,
			window: write.sentAt - read.sentAt,
			parent: read.found ? read.digest : null,
			digest: write.digest,
			error: write.error,
		});
	}
	return { calls, unpaired, readsWithoutWrite: reads.length - used.size };
}

/**
 * Writes of `calls` that changed the list and that no later state kept: follow the row's last
 * state back through the writes that made each state (every change adds a marker, so each
 * state is made once); a change that is not on that path was overwritten. Writes that
 * changed nothing (a marker already there) lose nothing.
 */
function erasedWrites(calls) {
	let erased = 0;
	const rows = new Map();
	for (const call of calls.filter((c) => !c.error)) {
		if (!rows.has(call.row)) rows.set(call.row, []);
		rows.get(call.row).push(call);
	}
	for (const list of rows.values()) {
		const changes = list.filter((c) => c.digest !== c.parent);
		const madeBy = new Map(changes.map((c) => [c.digest, c]));
		const last = list.reduce((a, b) => (b.doneAt > a.doneAt ? b : a));
		const kept = new Set();
		for (let d = last.digest; d && !kept.has(d); d = madeBy.get(d)?.parent) kept.add(d);
		erased += changes.filter((c) => !kept.has(c.digest)).length;
	}
	return erased;
}

/** n8n's hash of a value in the store (DeduplicationHelper.createValueHash). */
const storeHash = (value) => crypto.createHash('md5').update(String(value)).digest('base64');

/**
 * One set's store figures, for the report: counts and ms. `keys`: the order keys the set
 * claimed; `keysMissing` counts those absent from the row's list after the set's last write.
 */
function summarizeStore({ records, statements }, { keys = [] } = {}) {
	const { calls, unpaired, readsWithoutWrite } = storeCalls(records);
	const durations = calls.map((c) => c.duration);
	const windows = calls.map((c) => c.window);
	const lastWrite = records
		.filter((r) => (r.kind === 'write' || r.kind === 'insert') && !r.error && r.list)
		.reduce((a, b) => (!a || b.doneAt > a.doneAt ? b : a), null);
	const stored = new Set(lastWrite ? lastWrite.list : []);
	return {
		calls: calls.length,
		keysMissing: lastWrite ? keys.filter((k) => !stored.has(storeHash(k))).length : null,
		failedWrites: calls.filter((c) => c.error).length,
		unpaired,
		readsWithoutWrite,
		durationMs: { median: median(durations), p90: quantile(durations, 0.9), max: max(durations) },
		windowMs: { median: median(windows), p90: quantile(windows, 0.9), max: max(windows) },
		changes: calls.filter((c) => !c.error && c.digest !== c.parent).length,
		erased: erasedWrites(calls),
		statements,
	};
}

module.exports = { storeHash, storeCalls, erasedWrites, summarizeStore, median, max, quantile };
