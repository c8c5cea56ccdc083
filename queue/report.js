'use strict';
// The measured table of docs/scale.md, from one run of the queue suite (queue/run.js).
const { provenance, writeMeasured } = require('../lab/docs');

const row = (cells) => `| ${cells.join(' | ')} |`;
const span = (pair, unit = 's') => (pair ? `${pair[0]} to ${pair[1]} ${unit}` : '');
const list = (object) =>
	Object.entries(object || {})
		.map(([key, n]) => `${n} ${key}`)
		.join(', ');

function table(m) {
	const lines = [
		`Last measured by \`npm run test:queue\` ${provenance()}: n8n ${m.n8nVersion}, 1 main + 2 workers` +
			` (\`--concurrency=10\`) on ${m.database} and Redis, up in ${m.startupSeconds} s; the whole suite` +
			` took ${m.totalSeconds} s.`,
		'',
		row(['', 'executions', 'orders', 'duplicates', 'notified', 'time']),
		row(['---', '---', '---', '---', '---', '---']),
	];
	const b = m.batch1;
	if (b) {
		lines.push(
			row([
				`${b.calls} webhook calls at once`,
				`${list(b.statuses)}; ${list(b.perWorker)}`,
				b.orders,
				b.duplicates,
				b.notified,
				`${b.seconds} s`,
			]),
		);
	}
	const r = m.retryOnFail || [];
	if (r.length) {
		const twice = r.reduce((n, c) => n + (c.bought.length - new Set(c.bought).size), 0);
		lines.push(
			row([
				`Retry On Fail on a worker (${r.length} cases, 5 items each)`,
				r.map((c) => c.status).join(', '),
				r.map((c) => c.bought.length).join(' + '),
				twice,
				'',
				'',
			]),
		);
	}
	const k = m.killBatch;
	if (k) {
		lines.push(
			row([
				`${k.calls} calls, one worker \`SIGKILL\`ed ${k.killedAfterSeconds} s in`,
				`${k.survivorCompleted} not held by it: success; ${k.heldByVictim} it held: ${list(k.heldStatuses)}; run again elsewhere: ${k.rerunOnAnotherWorker}`,
				k.orders,
				k.duplicates,
				k.notified,
				`${span(k.secondsFromKillToFailed)} from kill to error; callers waited ${span(k.heldCallersWaitedSeconds)}`,
			]),
		);
	}
	const u = m.userRetry || {};
	if (u.killedExecutions) {
		const e = u.killedExecutions;
		lines.push(
			row([
				`Retry button on those ${e.retried}`,
				list(e.retryExecutions),
				e.newOrders,
				e.callsNowWithTwoOrders,
				'',
				'',
			]),
		);
	}
	if (u.failedOrderExecution) {
		const f = u.failedOrderExecution;
		const sum = (values) => values.reduce((a, b) => a + b, 0);
		lines.push(
			row([
				'Retry button on a Retry On Fail run that had failed at item 2',
				`1 (${f.result})`,
				sum(f.ordersPerItemAfter) - sum(f.ordersPerItemBefore),
				f.itemsBoughtTwice,
				'',
				'',
			]),
		);
	}
	const w = m.waitResume;
	if (w) {
		lines.push(
			row([
				`Order Proxies (100, budget 100), Wait ${w.waitSeconds} s, Order Proxies again; resumed on the other worker`,
				`${w.status}; before the wait ${w.before.worker} (pid ${w.before.pid}), after it ${w.after.map((a) => `${a.worker} (pid ${a.pid})`).join(', ') || 'the same worker'}; runs: ${w.orderRuns.join(', ')}`,
				w.orders,
				Math.max(0, w.orders - 1),
				'',
				`resumed ${w.resumedAfterSeconds} s after the first job was enqueued`,
			]),
		);
	}
	lines.push(...orderKeyTable(m.orderKey));
	if (m.skipped && m.skipped.length) {
		lines.push(
			'',
			'Skipped by name, with the reason (they fail today; the suite stays green until they pass):',
		);
		for (const s of m.skipped) lines.push(`- ${s.name}: ${s.reason}`);
	}
	return lines.join('\n');
}

const ms = (pair) => (pair && pair.median !== null ? `${pair.median} / ${pair.max} ms` : '');
const secs = (pair) => (pair && pair.median !== null ? `${pair.median} / ${pair.max} s` : '');
/** "20 × 1" or "18 × 1, 2 × 2": how many keys got how many orders. */
const perKey = (values) => {
	const counts = {};
	for (const v of values) counts[v] = (counts[v] || 0) + 1;
	return Object.entries(counts)
		.map(([orders, keys]) => `${keys} × ${orders}`)
		.join(', ');
};
const workers = (perWorker) =>
	Object.entries(perWorker || {})
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, w]) => `${name} ${w.executions} (${w.placed})`)
		.join(', ');

/** The order key table: one row per database latency and set of calls. */
function orderKeyTable(k) {
	if (!k || !k.phases.length) return [];
	const { sizes } = k;
	const lines = [
		'',
		`**Order key under database latency.** n8n's PostgreSQL behind a proxy that delays every query the given time (each round trip gains it), ${k.poolSize} connections per n8n process (n8n's default is 2; \`QUEUE_DB_POOL_SIZE\` sets it). Per latency: ${sizes.solo} keys sent one at a time; ${sizes.bursts} bursts of ${sizes.calls} calls at once, one request id each; ${sizes.distinct} calls at once with distinct ids; then every one of those keys again, at once. Answer time: from the webhook call to its answer (Respond: When Last Node Finishes); unanswered: calls whose execution ended but whose answer never came (n8n's main waits on Bull's \`job.finished()\`, which misses a job that ended and was removed before it asked). Store call: n8n's \`checkProcessedAndRecord\` or \`removeProcessed\`, from n8n taking a connection for its SELECT (n8n's TypeORM sends \`SET search_path\` and \`SET statement_timeout\` on every checkout: 3 round trips per statement) to the answer to its UPDATE; read-to-write: from the SELECT to the UPDATE leaving n8n; overwritten: store writes that changed the list and that no later write kept, of all such writes; keys lost: keys of the set missing from the store after the set (read from the lists written, not inferred from timing).`,
		'',
		row([
			'per query',
			'calls',
			'orders per key',
			'duplicate',
			'not sent',
			'answer median / max',
			'unanswered',
			'store call median / max',
			'read-to-write median / max',
			'overwritten',
			'keys lost',
			'executions (orders) per worker',
		]),
		row(Array(12).fill('---')),
	];
	const messages = new Map();
	for (const p of k.phases) {
		const sets = [
			['solo', `${sizes.solo} keys one at a time`],
			['same', `${sizes.bursts} bursts × ${sizes.calls}, one key each`],
			['distinct', `${sizes.distinct} calls, ${sizes.distinct} keys`],
			['again', 'all those keys again'],
		];
		for (const [name, label] of sets) {
			const r = p[name];
			if (!r) continue;
			const notSent = r.calls - (r.outcomes.placed || 0) - (r.outcomes.duplicate || 0);
			for (const [message, n] of Object.entries(r.messages || {}))
				messages.set(message, (messages.get(message) || 0) + n);
			lines.push(
				row([
					`${p.latencyMs} ms: ${label}`,
					r.calls,
					name === 'again'
						? `${r.ordersPerKey.reduce((a, b) => a + b, 0)} new`
						: name === 'same'
							? r.bursts.map((b) => b.orders[0]).join(', ')
							: perKey(r.ordersPerKey),
					r.outcomes.duplicate || 0,
					notSent,
					secs(r.answerSeconds),
					r.unanswered ?? '',
					r.store ? ms(r.store.durationMs) : '',
					r.store ? ms(r.store.windowMs) : '',
					r.store ? `${r.store.erased} of ${r.store.changes}` : '',
					r.store ? r.store.keysMissing : '',
					workers(r.perWorker),
				]),
			);
		}
	}
	if (messages.size) {
		lines.push('', 'Not sent, with the message the caller got:');
		for (const [message, n] of messages) lines.push(`- ${n} × "${message}"`);
	}
	return lines;
}

/** Rewrites the measured table of docs/scale.md; returns the file's path. */
function writeScaleDoc(measured) {
	return writeMeasured('docs/scale.md', 'queue', table(measured));
}

module.exports = { writeScaleDoc, table };
