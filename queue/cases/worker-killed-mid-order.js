'use strict';
// Promise: a worker SIGKILLed while it holds executions whose orders are in flight makes no
// order twice; n8n ends those executions and runs nothing again. Measured for docs/scale.md:
// how long n8n takes, and what the callers of the lost executions get.
// (No jest counterpart: it takes a real worker process to kill.)
const assert = require('node:assert/strict');
const { once } = require('../../lab/runner');
const cluster = require('../cluster');
const wf = require('../workflows');
const calls = require('../calls');

const { SECOND, MINUTE } = calls;

/** Waits until every worker slot is busy (or the batch is all started) with orders in flight. */
async function inFlightWhenBusy(ctx, { prefix, before, t0 }) {
	const batchIds = (map) => [...map.keys()].filter((id) => Number(id) > before);
	for (;;) {
		const seen = cluster.executionsByProcess(ctx.workers);
		const inFlight = Object.fromEntries(
			ctx.workers.map((w) => [
				w.name,
				batchIds(seen[w.name].started).filter((id) => !seen[w.name].finished.has(id)),
			]),
		);
		const startedCount = Object.values(inFlight).reduce((n, ids) => n + ids.length, 0);
		const enough =
			startedCount >=
				Math.min(ctx.settings.CALLS, ctx.settings.WORKER_CONCURRENCY * ctx.workers.length) &&
			calls.ordersFor(ctx, prefix).length >= startedCount;
		if (enough || Date.now() - t0 > 30 * SECOND) return inFlight;
		await calls.sleep(100);
	}
}

async function killBatch(ctx) {
	const { CALLS, KILL_HOLD_MS, LATENCY_MS, LOCK_MS, STALLED_MS } = ctx.settings;
	const prefix = 'qk';
	const tags = calls.range(CALLS).map((i) => wf.tag(prefix, i));
	const before = await cluster.lastExecutionId(ctx);
	ctx.proxy.setDelay(KILL_HOLD_MS);
	ctx.log(
		`Batch 2: ${CALLS} calls at once, answers held ${KILL_HOLD_MS / 1000} s; one worker will be SIGKILLed`,
	);
	const t0 = Date.now();
	const firing = calls.fire(
		calls.webhookUrl(ctx, wf.ORDERS),
		tags.map((customer) => ({ customer })),
		{ timeoutMs: LOCK_MS + 2 * STALLED_MS + 2 * MINUTE },
	);
	const inFlight = await inFlightWhenBusy(ctx, { prefix, before, t0 });
	const victim = ctx.workers.reduce((a, b) =>
		inFlight[b.name].length > inFlight[a.name].length ? b : a,
	);
	const survivor = ctx.workers.find((w) => w !== victim);
	const soldBeforeKill = new Set(calls.ordersFor(ctx, prefix).map((o) => o.customer));
	process.kill(victim.pid, 'SIGKILL');
	const killedAt = Date.now();
	ctx.proxy.setDelay(LATENCY_MS);
	// The dead worker's log is final now: what it started and never finished is what it held.
	await new Promise((resolve) =>
		victim.process.exitCode !== null || victim.process.signalCode
			? resolve()
			: victim.process.once('exit', resolve),
	);
	const victimLog = cluster.executionsByProcess([victim])[victim.name];
	const held = [...victimLog.started.keys()].filter(
		(id) => Number(id) > before && !victimLog.finished.has(id),
	);
	ctx.log(
		`SIGKILL ${victim.name} (pid ${victim.pid}) ${((killedAt - t0) / 1000).toFixed(1)} s into the batch; it held executions ${held.join(', ')}`,
	);
	const answers = await firing;

	// n8n 2.41 runs Bull with maxStalledCount 0: once the dead worker's job lock expires
	// (lock duration) and the surviving worker's stalled-job check runs, the job fails.
	const finalAt = new Map();
	const { done, executions } = await cluster.waitForExecutions(ctx, {
		workflowId: wf.ORDERS.id,
		afterId: before,
		expected: CALLS,
		timeoutMs: LOCK_MS + STALLED_MS + 2 * MINUTE,
		onPoll: (rows) => {
			for (const r of rows) {
				if (cluster.FINAL_STATUSES.has(r.status) && !finalAt.has(String(r.id)))
					finalAt.set(String(r.id), Date.now());
			}
		},
	});
	await calls.sleep(2 * SECOND);
	const seen = cluster.executionsByProcess(ctx.processes);
	const byId = new Map(executions.map((e) => [e.id, e]));
	const heldExecutions = held.map((id) => byId.get(id)).filter(Boolean);
	const orders = calls.ordersFor(ctx, prefix);
	// n8n replaces a failed job's stored run (webhook input included) with the error, so a
	// held execution's call is found the other way round: the calls no successful execution
	// answered. Each call made exactly one execution.
	const succeeded = executions.filter((e) => e.status === 'success');
	const delivered = new Set(succeeded.flatMap((e) => e.orders.map((o) => o.order_id)));
	const undeliveredTags = tags.filter((tag) => !succeeded.some((e) => e.tags.includes(tag)));
	const reached = heldExecutions
		.map((e) => (finalAt.get(e.id) ? (finalAt.get(e.id) - killedAt) / 1000 : null))
		.filter((s) => s !== null);
	const heldAnswers = answers.filter((a) => undeliveredTags.includes(a.body.customer));
	const range = (values) =>
		values.length ? [Math.min(...values), Math.max(...values)].map(Math.round) : null;
	const result = {
		tags,
		answers,
		done,
		executions,
		held,
		heldExecutions,
		victim,
		survivor,
		soldBeforeKill,
		undeliveredTags,
		prefix,
		orders,
		rerun: held.filter((id) => cluster.runnersOf(seen, id).some((name) => name !== victim.name)),
		others: executions.filter((e) => !held.includes(e.id)),
		posted: calls.postsMentioning(
			ctx,
			orders.map((o) => o.order_id),
		),
		duplicates: [...calls.countBy(orders.map((o) => o.customer)).values()].filter((n) => n > 1)
			.length,
	};
	ctx.measured.killBatch = {
		calls: CALLS,
		executions: executions.length,
		victim: victim.name,
		killedAfterSeconds: Math.round((killedAt - t0) / 100) / 10,
		heldByVictim: held.length,
		heldStatuses: Object.fromEntries(calls.countBy(heldExecutions.map((e) => e.status))),
		heldErrors: [...calls.countBy(heldExecutions.map((e) => e.error?.message || '(none)'))],
		heldCallersGot: [
			...calls.countBy(heldAnswers.map((a) => `${a.status} ${a.text.slice(0, 80)}`)),
		],
		heldCallersWaitedSeconds: range(heldAnswers.map((a) => a.seconds)),
		secondsFromKillToFailed: range(reached),
		rerunOnAnotherWorker: result.rerun.length,
		orders: orders.length,
		duplicates: result.duplicates,
		paidButNotInAnyExecution: orders.filter((o) => !delivered.has(o.order_id)).length,
		notified: result.posted.size,
		survivorCompleted: result.others.length,
		seconds: Math.round((Date.now() - t0) / 100) / 10,
	};
	ctx.killed = result;
	ctx.log(`Kill batch: ${JSON.stringify(ctx.measured.killBatch)}`);
	return result;
}

module.exports = function workerKilledMidOrder(t, ctx) {
	const { CALLS } = ctx.settings;
	const batch = once(() => killBatch(ctx));

	t.test('every caller whose execution survived got its order back', async () => {
		const { answers, held, undeliveredTags } = await batch();
		const okAnswers = answers.filter((a) => !undeliveredTags.includes(a.body.customer));
		assert.ok(
			okAnswers.length === CALLS - held.length &&
				okAnswers.every((a) => a.status === 200 && calls.orderIdIn(a)),
		);
	});

	t.test(
		'the killed worker held executions whose orders were already sold (answer still in flight)',
		async () => {
			const { held, undeliveredTags, soldBeforeKill } = await batch();
			const sold = undeliveredTags.filter((tag) => soldBeforeKill.has(tag)).length;
			assert.ok(
				held.length > 0 && undeliveredTags.length === held.length && sold > 0,
				`${held.length} held, ${sold} of their orders sold before the kill`,
			);
		},
	);

	t.test(
		'every execution the killed worker did not hold finished with success on the other worker or before the kill',
		async () => {
			const { others, held } = await batch();
			assert.ok(
				others.length === CALLS - held.length &&
					others.every((e) => e.status === 'success' && e.orders.length === 1),
				`${others.length} executions: ${calls.counts(calls.countBy(others.map((e) => e.status)), ' ')}`,
			);
		},
	);

	t.test("n8n did not run the killed worker's executions again on another worker", async () => {
		const { rerun, held } = await batch();
		assert.equal(rerun.length, 0, `${rerun.length} of ${held.length} started again`);
	});

	t.test('no order was placed twice in the kill batch', async () => {
		const { duplicates, orders } = await batch();
		assert.equal(duplicates, 0, `${orders.length} orders for ${CALLS} calls`);
	});

	t.test('n8n ended every execution the killed worker held (none left running)', async () => {
		const { done, held, heldExecutions } = await batch();
		assert.ok(
			done &&
				heldExecutions.length === held.length &&
				heldExecutions.every((e) => cluster.FINAL_STATUSES.has(e.status)),
			JSON.stringify(ctx.measured.killBatch.heldStatuses),
		);
	});

	t.test(
		'every order of the kill batch that reached a surviving execution was notified once',
		async () => {
			const { others, posted } = await batch();
			assert.ok(others.every((e) => e.orders.every((o) => posted.get(o.order_id) === 1)));
		},
	);
};
