'use strict';
// The key claim's world on a virtual clock: n8n's deduplication store as a list read, changed
// and written back with no lock, where the caller decides when each call reads and when it
// writes (or fails), and the claim's own waits advance the same clock. Every interleaving is
// forced, not hoped for: nothing depends on the machine's speed, and a run repeats from its
// seed. Plain JS so that jest (test/key-claim.test.ts) and the measuring script
// (scripts/key-claim-rates.js, against dist/) share it.
const { seeded } = require('../../lab/seeded');

class VirtualClock {
	constructor() {
		this.now = 0;
		this.timers = [];
		this.seq = 0;
	}

	sleep(ms) {
		return new Promise((resolve) => {
			this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, resolve });
		});
	}

	/** Runs until every task has settled: pending microtasks first, then the next timer. */
	async run(tasks) {
		let pending = tasks.length;
		for (const task of tasks) void task.then(() => pending--, () => pending--);
		for (;;) {
			for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
			if (pending === 0) break;
			if (this.timers.length === 0) throw new Error('deadlock: tasks wait and no timer is set');
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift();
			this.now = Math.max(this.now, next.at);
			next.resolve();
		}
		return await Promise.all(tasks);
	}
}

/**
 * One node's list, as n8n's store keeps it: oldest first, trimmed from the front. `schedule`
 * says, for each call ({ who, index, kind, values }), when it reads and writes, counted from
 * its start in ms, and whether it fails before its read ('before') or after its write, its
 * answer lost ('after').
 */
class VirtualStore {
	constructor(clock, schedule, maxEntries = 20000) {
		this.clock = clock;
		this.schedule = schedule;
		this.maxEntries = maxEntries;
		this.list = [];
		this.counts = new Map();
		this.queues = new Map();
	}

	/**
	 * The store as one claimant (an execution) calls it: the KeyStore of keyClaim.ts, each
	 * call timed. Claimants that name the same `process` share it as the package does in one
	 * n8n process: one call at a time, the wait for a turn not counted.
	 */
	as(who, process) {
		const call = (kind, values) => async () => {
			const started = this.clock.now;
			const result = await this.call(who, kind, values);
			return { result, took: this.clock.now - started };
		};
		const inTurn = (run) => {
			if (process === undefined) return run();
			const next = (this.queues.get(process) ?? Promise.resolve()).then(run, run);
			this.queues.set(
				process,
				next.catch(() => undefined),
			);
			return next;
		};
		return {
			record: (values) => inTurn(call('record', values)),
			remove: (values) => inTurn(call('remove', values)),
		};
	}

	async call(who, kind, values) {
		const index = this.counts.get(who) ?? 0;
		this.counts.set(who, index + 1);
		const latency = this.schedule({ who, index, kind, values });
		await this.clock.sleep(latency.read);
		if (latency.fail === 'before') throw new Error('database is locked');
		const list = [...this.list];
		const seen = [];
		if (kind === 'record') {
			for (const value of values) {
				if (list.includes(value)) seen.push(value);
				else list.push(value);
			}
			list.splice(0, Math.max(0, list.length - this.maxEntries));
		} else {
			for (const value of values) {
				const at = list.indexOf(value);
				if (at !== -1) list.splice(at, 1);
			}
		}
		await this.clock.sleep(Math.max(0, latency.write - latency.read));
		this.list = list;
		if (latency.fail === 'after') throw new Error('connection lost');
		return kind === 'record' ? seen : undefined;
	}
}

/** Puts a claim module's `timing` on the virtual clock and a seeded random; returns the undo. */
function useVirtualTime(timing, clock, random) {
	const saved = { ...timing };
	Object.assign(timing, { now: () => clock.now, sleep: (ms) => clock.sleep(ms), random });
	return () => Object.assign(timing, saved);
}

module.exports = { VirtualClock, VirtualStore, seeded, useVirtualTime };
