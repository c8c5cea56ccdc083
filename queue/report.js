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
	const same = m.orderKeySameId || [];
	if (same.length) {
		lines.push(
			row([
				`Order key: ${same.length} bursts of 20 calls at once, one request id each`,
				same.map((b) => `${b.placed || 0} placed + ${b.duplicate || 0} duplicate`).join('; '),
				same.map((b) => b.orders).join(' + '),
				same.reduce((n, b) => n + Math.max(0, b.orders - 1), 0),
				'',
				same.map((b) => `${b.seconds} s`).join(', '),
			]),
		);
	}
	const distinct = m.orderKeyDistinctIds;
	if (distinct) {
		lines.push(
			row([
				'Order key: 20 calls at once, 20 distinct request ids',
				list(distinct.outcomes),
				distinct.orders,
				distinct.twice,
				'',
				`${distinct.seconds} s`,
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
	return lines.join('\n');
}

/** Rewrites the measured table of docs/scale.md; returns the file's path. */
function writeScaleDoc(measured) {
	return writeMeasured('docs/scale.md', 'queue', table(measured));
}

module.exports = { writeScaleDoc, table };
