'use strict';
// Promise: Max Proxies Per Execution holds across every run of the node in one execution,
// also when the execution waits and n8n resumes it on another worker. The workflow orders
// 100 proxies with a budget of 100, waits, and reaches the same Order Proxies node again: the
// second run must be refused as over budget (1 order in all).
//
// n8n 2.41's Wait node keeps a wait shorter than 65 s in the worker's memory (a timer);
// from 65 s on it stores the execution as "waiting" and the worker lets go. The main's wait
// tracker reads the database every 60 s for waits ending within 70 s and sets a timer for
// each; at the end it runs the execution again, which in queue mode is a new job on the
// queue, for whichever worker takes it. 66 s is the shortest whole-second wait that is
// surely offloaded: the node compares `waitTill - now` with 65000 a moment after computing
// `waitTill = now + amount`, so an amount of exactly 65 s can come out a millisecond short.
//
// Which worker takes the resumed job is up to Redis, so the case forces it: once the
// execution is stored as waiting, it stops the worker that ran the first part (SIGTERM; it
// holds no job by then), lets the other one resume it, then starts a worker under the same
// name again for the cases after it. Each process's log names the executions it started.
const assert = require('node:assert/strict');
const { once } = require('../../lab/runner');
const { stopProcess } = require('../../lab/processes');
const { logEntries, storedExecutions } = require('../../lab/n8n');
const fixtures = require('../../lab/fixtures');
const cluster = require('../cluster');
const calls = require('../calls');
const { STATPROXIES_CREDENTIAL } = require('../workflows');

const WAIT = {
	id: 'qWaitResume',
	path: 'statproxies-queue-wait',
	name: 'Queue: wait between two runs',
};
const WAIT_SECONDS = 66;
const BUDGET = 100;

/** Webhook -> Order Proxies (100 of a budget of 100) -> first pass? -> Wait 66 s -> Order Proxies. */
function workflow() {
	const nodes = [
		fixtures.webhookNode(WAIT.path),
		fixtures.orderNode({
			parameters: {
				quantity: BUDGET,
				productType: 'captcha',
				additionalFields: { customer: "={{ $('Webhook').first().json.body.customer }}" },
				options: { maxProxiesPerExecution: BUDGET },
			},
			credential: STATPROXIES_CREDENTIAL,
			// The refusal of the second run is an item, so the execution ends and can be read.
			settings: { onError: 'continueRegularOutput' },
		}),
		fixtures.node('First Pass', 'n8n-nodes-base.if', 2.2, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: 'first-pass',
						leftValue: '={{ $runIndex }}',
						rightValue: 0,
						operator: { type: 'number', operation: 'equals' },
					},
				],
				combinator: 'and',
			},
			options: {},
		}),
		fixtures.node(
			'Wait',
			'n8n-nodes-base.wait',
			1.1,
			{
				resume: 'timeInterval',
				amount: WAIT_SECONDS,
				unit: 'seconds',
			},
			{ webhookId: '5f1f3c2e-1d0b-4c7e-9a53-6b0b7c9e2a41' },
		),
	];
	const link = (node) => ({ node, type: 'main', index: 0 });
	return fixtures.workflow(WAIT.id, nodes, {
		name: WAIT.name,
		connections: {
			Webhook: { main: [[link(fixtures.ORDER_NODE)]] },
			[fixtures.ORDER_NODE]: { main: [[link('First Pass')]] },
			'First Pass': { main: [[link('Wait')], []] },
			Wait: { main: [[link(fixtures.ORDER_NODE)]] },
		},
	});
}

async function waitForStatus(ctx, executionId, statuses, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = (await cluster.allExecutions(ctx)).find((e) => e.id === String(executionId));
		if (found && statuses.includes(found.status)) return found;
		if (Date.now() > deadline) {
			throw new Error(
				`execution ${executionId} not ${statuses.join('/')} after ${timeoutMs} ms: ${found?.status}`,
			);
		}
		await calls.sleep(1000);
	}
}

/** The item of each run of Order Proxies in the stored execution: `placed`, or the error's outcome. */
async function orderRuns(ctx, executionId) {
	const row = (await storedExecutions(ctx.folder, { postgres: ctx.postgres })).find(
		(r) => String(r.id) === String(executionId),
	);
	const runs = ctx.flatted.parse(row.data).resultData.runData[fixtures.ORDER_NODE] ?? [];
	return runs.map((r) => {
		const json = r.data?.main?.[0]?.[0]?.json;
		return json?.order_id ? 'placed' : (json?.error?.outcome ?? 'no item');
	});
}

module.exports = function waitResumesOnAnotherWorker(t, ctx) {
	const measure = once(async () => {
		const customer = 'waitresume';
		const before = await cluster.lastExecutionId(ctx);
		ctx.log(
			`Wait case: one call; Order Proxies (${BUDGET}, budget ${BUDGET}), Wait ${WAIT_SECONDS} s, Order Proxies again`,
		);
		const [answer] = await calls.fire(calls.webhookUrl(ctx, WAIT), [{ customer }]);
		let id = null;
		for (const deadline = Date.now() + 30 * calls.SECOND; !id && Date.now() < deadline; ) {
			const mine = (await cluster.allExecutions(ctx)).find(
				(e) => e.workflowId === WAIT.id && Number(e.id) > before,
			);
			if (mine) id = mine.id;
			else await calls.sleep(500);
		}
		assert.ok(id, `no execution for the call (answer ${answer.status} ${answer.text})`);
		const waiting = await waitForStatus(
			ctx,
			id,
			['waiting', ...cluster.FINAL_STATUSES],
			calls.MINUTE,
		);
		const firstRunners = cluster.runnersOf(cluster.executionsByProcess(ctx.processes), id);
		const first = ctx.workers.find((w) => w.name === firstRunners[0]);
		const other = ctx.workers.find((w) => w !== first);
		const ordersBeforeWait = ctx.sandbox.orders.filter((o) => o.customer === customer).length;
		ctx.log(
			`  execution ${id} ${waiting.status}, run by ${firstRunners.join('+')} (pid ${first?.pid}); ${ordersBeforeWait} order(s)`,
		);
		assert.equal(
			waiting.status,
			'waiting',
			'the execution was not offloaded: the Wait did not store it as waiting',
		);
		assert.ok(first && other, `first part run by ${firstRunners.join('+') || 'no worker'}`);

		// Force the resume onto the other worker: the first one stops (it holds no job now).
		ctx.log(
			`  stopping ${first.name} (pid ${first.pid}, SIGTERM) so that ${other.name} (pid ${other.pid}) takes the resumed job`,
		);
		await stopProcess(first.process, 30 * calls.SECOND);
		const ended = await waitForStatus(
			ctx,
			id,
			[...cluster.FINAL_STATUSES],
			WAIT_SECONDS * calls.SECOND + 2 * calls.MINUTE,
		);
		// The main enqueues the execution twice: at the webhook call, and when the wait ends.
		const enqueued = logEntries(ctx.main.logFile)
			.filter((e) => e.message === `Enqueued execution ${id} (job ${e.metadata?.jobId})`)
			.map((e) => Date.parse(e.metadata.timestamp));
		const resumedAfter =
			enqueued.length === 2 ? Math.round((enqueued[1] - enqueued[0]) / 1000) : null;
		const allRunners = cluster.runnersOf(cluster.executionsByProcess([first, other]), id);
		const orders = ctx.sandbox.orders.filter((o) => o.customer === customer).length;

		// The cases after this one expect two workers.
		const restarted = await ctx.startWorker(first.name);
		ctx.workers = ctx.workers.map((w) => (w === first ? restarted : w));
		ctx.processes = ctx.processes.map((p) => (p === first ? restarted : p));
		ctx.log(`  ${first.name} started again (pid ${restarted.pid})`);

		const runs = await orderRuns(ctx, id);
		const result = {
			executionId: id,
			status: ended.status,
			before: { worker: first.name, pid: first.pid },
			after: allRunners.filter((n) => n !== first.name).map((n) => ({ worker: n, pid: other.pid })),
			startedBy: allRunners,
			waitSeconds: WAIT_SECONDS,
			// From the first job to the resumed one, by the main's log.
			resumedAfterSeconds: resumedAfter,
			orderRuns: runs,
			ordersBeforeWait,
			orders,
		};
		ctx.log(`  ${JSON.stringify(result)}`);
		ctx.measured.waitResume = result;
		return result;
	});

	t.test(
		`Wait that resumes on the other worker: Max Proxies Per Execution (${BUDGET}) holds across the wait, 1 order`,
		async () => {
			const r = await measure();
			assert.equal(r.status, 'success', JSON.stringify(r));
			assert.equal(r.orderRuns.length, 2, `Order Proxies ran ${r.orderRuns.length} times`);
			// What the case is about: the resumed part ran on the other worker.
			assert.equal(r.startedBy.length, 2, `started by ${r.startedBy.join(', ')}`);
			assert.ok(r.after.length === 1, 'the resume did not land on the other worker');
			assert.equal(
				r.orders,
				1,
				`orders for one execution with a budget of ${BUDGET}: ${JSON.stringify(r)}`,
			);
			assert.deepEqual(r.orderRuns, ['placed', 'over_budget'], JSON.stringify(r));
		},
	);
};

module.exports.WAIT = WAIT;
module.exports.workflow = workflow;
