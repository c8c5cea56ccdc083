'use strict';
// Promise: N webhook calls at once, on a main and two workers, make exactly one order each;
// every execution runs on one worker, and every order reaches its caller and the team.
// (No jest counterpart: only a real queue, with Redis and several processes, can show this.)
const assert = require('node:assert/strict');
const { once } = require('../../lab/runner');
const cluster = require('../cluster');
const wf = require('../workflows');
const calls = require('../calls');

module.exports = function oneOrderPerCall(t, ctx) {
	const { CALLS } = ctx.settings;
	const batch = once(async () => {
		const prefix = 'qa';
		const tags = calls.range(CALLS).map((i) => wf.tag(prefix, i));
		const before = await cluster.lastExecutionId(ctx);
		const postsBefore = ctx.listener.posts.length;
		const t0 = Date.now();
		ctx.log(`Batch 1: ${CALLS} webhook calls at once`);
		const answers = await calls.fire(
			calls.webhookUrl(ctx, wf.ORDERS),
			tags.map((customer) => ({ customer })),
		);
		const { done, executions } = await cluster.waitForExecutions(ctx, {
			workflowId: wf.ORDERS.id,
			afterId: before,
			expected: CALLS,
			timeoutMs: 3 * calls.MINUTE,
		});
		const seconds = (Date.now() - t0) / 1000;
		const seen = cluster.executionsByProcess(ctx.processes);
		const placement = executions.map((e) => ({
			id: e.id,
			runners: cluster.runnersOf(seen, e.id),
			reportedBy: seen.main.reportedBy.get(e.id),
		}));
		const orders = calls.ordersFor(ctx, prefix);
		const perTag = calls.countBy(orders.map((o) => o.customer));
		const posted = calls.postsMentioning(
			ctx,
			orders.map((o) => o.order_id),
		);
		const newPosts = ctx.listener.posts.length - postsBefore;
		const perWorker = calls.countBy(placement.map((p) => p.runners.join('+') || 'none'));
		ctx.measured.batch1 = {
			calls: CALLS,
			executions: executions.length,
			statuses: Object.fromEntries(calls.countBy(executions.map((e) => e.status))),
			orders: orders.length,
			duplicates: [...perTag.values()].filter((n) => n > 1).length,
			notified: newPosts,
			perWorker: Object.fromEntries(perWorker),
			seconds: Math.round(seconds * 10) / 10,
		};
		ctx.log(`Batch 1 done in ${seconds.toFixed(1)} s: ${JSON.stringify(ctx.measured.batch1)}`);
		const soldByTag = new Map(orders.map((o) => [o.customer, o.order_id]));
		return {
			tags,
			answers,
			done,
			executions,
			seen,
			placement,
			orders,
			perTag,
			posted,
			newPosts,
			soldByTag,
		};
	});

	t.test(`all ${CALLS} webhook calls answered 200 once their run finished`, async () => {
		const { answers } = await batch();
		const statuses = calls.countBy(answers.map((a) => a.status));
		assert.ok(
			answers.every((a) => a.status === 200),
			`statuses ${calls.counts(statuses)}`,
		);
	});

	t.test(`${CALLS} executions, all finished with success`, async () => {
		const { done, executions } = await batch();
		const statuses = calls.countBy(executions.map((e) => e.status));
		assert.ok(
			done && executions.length === CALLS && statuses.get('success') === CALLS,
			`${executions.length} executions: ${calls.counts(statuses, ' ')}`,
		);
	});

	t.test(
		'every execution was enqueued by the main and started and finished by exactly one worker, none on the main',
		async () => {
			const { executions, seen, placement } = await batch();
			const onOneWorker = placement.filter(
				(p) =>
					p.runners.length === 1 &&
					p.runners[0] !== 'main' &&
					seen[p.runners[0]].finished.has(p.id) &&
					seen.main.enqueued.has(p.id),
			);
			assert.ok(
				onOneWorker.length === executions.length &&
					executions.length === CALLS &&
					seen.main.started.size === 0,
				JSON.stringify(ctx.measured.batch1.perWorker),
			);
		},
	);

	// The main's own record: each job's "finished" message came from a worker through Redis.
	// It names the worker's host id, `worker-<hostname>` in containers: the same for both
	// workers here, so the per-process logs above are what tells them apart.
	t.test("the main received every execution's result from a worker through the queue", async () => {
		const { placement } = await batch();
		const reporters = calls.countBy(placement.map((p) => p.reportedBy || 'none'));
		assert.ok(
			placement.every((p) => p.reportedBy && p.reportedBy.startsWith('worker-')),
			calls.counts(reporters, ' from '),
		);
	});

	t.test('every call produced exactly one order at the sandbox', async () => {
		const { tags, orders, perTag } = await batch();
		assert.ok(
			orders.length === CALLS && tags.every((tag) => perTag.get(tag) === 1),
			`${orders.length} orders for ${CALLS} calls`,
		);
	});

	t.test(
		"each execution's Order Proxies output is the order the sandbox sold for its call",
		async () => {
			const { executions, soldByTag } = await batch();
			const matched = executions.filter(
				(e) =>
					e.orders.length === 1 &&
					e.tags.length === 1 &&
					soldByTag.get(e.tags[0]) === e.orders[0].order_id,
			);
			assert.equal(matched.length, CALLS, `${matched.length}/${CALLS} match`);
		},
	);

	t.test('every caller got back the order the sandbox sold for its own call', async () => {
		const { answers, soldByTag } = await batch();
		assert.ok(
			answers.every(
				(a) => calls.orderIdIn(a) && calls.orderIdIn(a) === soldByTag.get(a.body.customer),
			),
		);
	});

	t.test('the notification server got every order_id, each once', async () => {
		const { orders, posted, newPosts } = await batch();
		assert.ok(
			orders.every((o) => posted.get(o.order_id) === 1) && newPosts === CALLS,
			`${newPosts} posts, ${posted.size} distinct order_ids`,
		);
	});

	t.test(
		'no execution lost or duplicated an order (executions, sandbox and notifications agree)',
		async () => {
			const { executions, orders, posted } = await batch();
			const executionIds = new Set(executions.flatMap((e) => e.orders.map((o) => o.order_id)));
			assert.ok(
				executionIds.size === CALLS &&
					orders.every((o) => executionIds.has(o.order_id) && posted.has(o.order_id)) &&
					executions.reduce((n, e) => n + e.orders.length, 0) === CALLS,
			);
		},
	);
};
