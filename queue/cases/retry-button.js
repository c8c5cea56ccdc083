'use strict';
// Promise: n8n's Retry button (POST /rest/executions/:id/retry) on a failed order run buys
// nothing twice. The button starts a new execution (mode "retry") that no process's retry
// memory knows, so the node must refuse to order in it. test/retry-button.test.ts proves the
// refusal in n8n-core; this proves n8n really starts such retries as "retry" executions on a
// worker. Also measured for docs/scale.md: what the button does with the executions of the
// killed worker (worker-killed-mid-order.js runs first).
const assert = require('node:assert/strict');
const { setupOwnerAndLogin } = require('../../lab/n8n');
const { once } = require('../../lab/runner');
const cluster = require('../cluster');
const calls = require('../calls');

async function retryAsUser(session, executionId) {
	const timeout = new Promise((resolve) =>
		setTimeout(
			() => resolve({ ok: false, error: 'no answer within 60 s' }),
			60 * calls.SECOND,
		).unref(),
	);
	const attempt = session
		.post(`/rest/executions/${executionId}/retry`, { loadWorkflow: false })
		.then(({ data }) => ({ ok: true, status: data?.status }))
		.catch((error) => ({ ok: false, error: error.message.slice(0, 200) }));
	const t = Date.now();
	const result = await Promise.race([attempt, timeout]);
	return { ...result, seconds: Math.round((Date.now() - t) / 100) / 10 };
}

/** The Retry button on each execution the killed worker held: measured, not asserted. */
async function retryKilled(ctx, session) {
	const { heldExecutions, prefix, undeliveredTags } = ctx.killed;
	const ordersBefore = calls.ordersFor(ctx, prefix).length;
	const retried = [];
	for (const execution of heldExecutions.filter((e) => e.status !== 'success')) {
		retried.push(await retryAsUser(session, execution.id));
	}
	await calls.sleep(3 * calls.SECOND);
	const perTag = calls.countBy(calls.ordersFor(ctx, prefix).map((o) => o.customer));
	const heldIds = new Set(heldExecutions.map((e) => e.id));
	const stored = await cluster.allExecutions(ctx);
	const retries = stored.filter((e) => heldIds.has(e.retryOf));
	return {
		retried: retried.length,
		restAnswers: Object.fromEntries(
			calls.countBy(retried.map((r) => (r.ok ? `200 (${r.status})` : r.error))),
		),
		slowestAnswerSeconds: Math.max(...retried.map((r) => r.seconds)),
		retryExecutions: Object.fromEntries(
			calls.countBy(retries.map((e) => `${e.status}${e.orderRuns ? '' : ', ran nothing'}`)),
		),
		originalsMarkedRetried: stored.filter((e) => heldIds.has(e.id) && e.retrySuccessId).length,
		newOrders: calls.ordersFor(ctx, prefix).length - ordersBefore,
		callsNowWithTwoOrders: undeliveredTags.filter((tag) => (perTag.get(tag) || 0) > 1).length,
	};
}

module.exports = function retryButton(t, ctx) {
	const session = once(() => setupOwnerAndLogin(ctx.main.url));

	t.test('the Retry button on a failed order run buys nothing twice', async () => {
		const rest = await session();
		ctx.proxy.setDelay(0);
		ctx.measured.userRetry = {};
		if (ctx.killed && ctx.killed.heldExecutions.length > 0) {
			ctx.measured.userRetry.killedExecutions = await retryKilled(ctx, rest);
		}
		const failed = (ctx.measured.retryOnFail || []).find(
			(r) => r.status === 'error' && r.executionId,
		);
		assert.ok(
			failed,
			'no failed Retry On Fail execution to retry (retry-on-fail-on-a-worker runs first)',
		);
		const perItem = () =>
			failed.tags.map(
				(tag) => calls.ordersFor(ctx, failed.prefix).filter((o) => o.customer === tag).length,
			);
		const before = perItem();
		const result = await retryAsUser(rest, failed.executionId);
		await calls.sleep(2 * calls.SECOND);
		const after = perItem();
		ctx.measured.userRetry.failedOrderExecution = {
			execution: failed.executionId,
			result: result.status || result.error,
			ordersPerItemBefore: before,
			ordersPerItemAfter: after,
			itemsBoughtTwice: after.filter((n) => n > 1).length,
		};
		ctx.log(
			`measured: user "Retry" of failed executions: ${JSON.stringify(ctx.measured.userRetry)}`,
		);
		assert.equal(
			ctx.measured.userRetry.failedOrderExecution.itemsBoughtTwice,
			0,
			`orders per item before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
		);
	});
};
