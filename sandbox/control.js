'use strict';
// The /__sandbox/ routes: what lets a process that holds no handle on the sandbox (the e2e
// suite's n8n, `npm start`, the benchmarks, curl) read and steer it over HTTP. Each one goes
// through the same methods a caller of startSandbox() has, so the two cannot drift apart.
const { readRequest, send } = require('../lab/http');

/**
 * Answers a request under /__sandbox/.
 * @param {object} state the sandbox's state, read as it is
 * @param {object} sandbox what startSandbox() returns, for everything that changes the state
 */
async function control(req, res, path, state, sandbox) {
	if (req.method === 'GET' && path === '/__sandbox/requests') return send(res, 200, state.requests);
	if (req.method === 'GET' && path === '/__sandbox/orders') return send(res, 200, state.orders);
	if (req.method === 'GET' && path === '/__sandbox/exchanges') {
		return send(res, 200, state.exchanges);
	}
	// {"order_ids": ["sub_..."], "quantity"?, "product_type"?}: orders the account already has.
	if (req.method === 'POST' && path === '/__sandbox/orders') {
		const body = (await readRequest(req)).json || {};
		try {
			return send(res, 200, sandbox.seedOrders(body.order_ids, body));
		} catch (error) {
			return send(res, 400, { error: error.message });
		}
	}
	if (req.method === 'POST' && path === '/__sandbox/reset') {
		sandbox.reset();
		return send(res, 200, { ok: true });
	}
	if (req.method === 'POST' && path === '/__sandbox/faults') {
		const body = (await readRequest(req)).json || {};
		sandbox.setFault(body.fault, body);
		return send(res, 200, { ok: true });
	}
	// {"shape": "object" | "list" | "empty"} and/or {"fault": "<list fault>" | null}.
	if (req.method === 'POST' && path === '/__sandbox/list') {
		const body = (await readRequest(req)).json || {};
		try {
			if (body.shape !== undefined) sandbox.setListShape(body.shape);
			if (body.fault !== undefined) sandbox.setListFault(body.fault, body);
		} catch (error) {
			return send(res, 400, { error: error.message });
		}
		return send(res, 200, { shape: state.listShape, fault: state.listFault });
	}
	return send(res, 404, { error: 'not_found' });
}

module.exports = { control };
