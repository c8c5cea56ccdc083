'use strict';
// What the queue cases share: firing webhook calls at the main, and matching calls, orders
// (at the sandbox), executions and notifications (at the stand-in) through each call's tag.
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function countBy(values) {
	const map = new Map();
	for (const v of values) map.set(v, (map.get(v) || 0) + 1);
	return map;
}

/** "2 x200, 1 x500"-style text of a countBy map. */
const counts = (map, join = 'x') => [...map].map(([k, n]) => `${n}${join}${k}`).join(', ');
const range = (n) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Fires all calls at once, on loopback only; resolves every answer (never rejects). `signal`
 * ends the calls still waiting (status 0).
 */
function fire(url, bodies, { timeoutMs = 2 * MINUTE, signal } = {}) {
	if (!url.startsWith('http://127.0.0.1:'))
		throw new Error(`refusing to call ${url}: loopback only`);
	const t0 = Date.now();
	return Promise.all(
		bodies.map((body) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: signal
					? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
					: AbortSignal.timeout(timeoutMs),
			})
				.then(async (res) => ({ status: res.status, text: await res.text() }))
				.catch((error) => ({ status: 0, text: error.message }))
				.then((answer) => ({ ...answer, body, seconds: (Date.now() - t0) / 1000 })),
		),
	);
}

const webhookUrl = (ctx, { path }) => `${ctx.main.url}/webhook/${path}`;

/** The order id a caller got back (the workflow answers with the notification it posted). */
function orderIdIn(answer) {
	const match = /order (sub_[a-z0-9]+) for ([a-z]+)/.exec(answer.text || '');
	return match && match[2] === answer.body.customer ? match[1] : null;
}

function ordersFor(ctx, prefix) {
	return ctx.sandbox.orders.filter(
		(o) => typeof o.customer === 'string' && o.customer.startsWith(`${prefix}x`),
	);
}

function requestsFor(ctx, prefix) {
	return ctx.sandbox.orderRequests.filter(
		(r) => r.json && String(r.json.customer || '').startsWith(`${prefix}x`),
	);
}

/** order id -> how many notifications name it, for the given ids. */
function postsMentioning(ctx, orderIds) {
	const ids = new Set(orderIds);
	const found = new Map();
	for (const post of ctx.listener.posts) {
		const match = /order (sub_[a-z0-9]+)/.exec(post.message);
		if (match && ids.has(match[1])) found.set(match[1], (found.get(match[1]) || 0) + 1);
	}
	return found;
}

module.exports = {
	SECOND,
	MINUTE,
	countBy,
	counts,
	range,
	sleep,
	fire,
	webhookUrl,
	orderIdIn,
	ordersFor,
	requestsFor,
	postsMentioning,
};
