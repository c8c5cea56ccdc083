'use strict';
// A local stand-in for StatProxies (../shared/api/CONTRACT.md): the one sandbox that the jest
// tests, the end-to-end suite, the benchmarks and `npm start` all use. Plain JS on purpose:
// n8n's lint forbids node:http in .ts files, and this never ships in the package.
const http = require('node:http');
const { readRequest, recordOf, send } = require('../lab/http');

const KEYS = {
	// A key with the `order` service: can list and buy.
	full: 'sk_test_sandbox_full_access',
	// A valid key whose services do not include `order`.
	noOrder: 'sk_test_sandbox_no_order_service',
};

// Faults the sandbox can be told to answer with. `places` marks faults where the sandbox
// sells the order and then loses the answer: the real "outcome unknown" case, which lets
// tests prove that the node never re-sends such an order.
const FAULTS = {
	'400-missing': { status: 400, body: { response: 'Missing required fields' } },
	'400-product': { status: 400, body: { response: 'Invalid product_type' } },
	'400-quantity': { status: 400, body: { response: 'Quantity must be greater than 0' } },
	'400-customer': {
		status: 400,
		body: { response: 'Customer ID must contain only lowercase letters (a-z)' },
	},
	401: { status: 401, body: { error: 'invalid_api_key' } },
	403: { status: 403, body: { error: 'insufficient_permissions' } },
	404: { status: 404, body: { error: 'not_found' } },
	429: { status: 429, body: { error: 'rate_limited' } },
	500: { status: 500, body: { error: 'internal_error' } },
	'502-html': {
		status: 502,
		raw: '<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>',
		type: 'text/html',
	},
	// A 200 that is not the API: a web page (a wrong Base URL), the same page after blank lines
	// (as templates often start), an empty body.
	'200-html': {
		status: 200,
		raw: '<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>',
		type: 'text/html',
	},
	'200-html-indented': {
		status: 200,
		raw: '\r\n\n<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>',
		type: 'text/html',
	},
	'200-empty': { status: 200, raw: '', type: 'text/plain' },
	// A 200 whose JSON carries an error, as some gateways answer (no such answer is documented).
	'200-error': { status: 200, body: { error: 'invalid_api_key' } },
	503: { status: 503, body: { error: 'service_unavailable' } },
	hang: { hang: true, places: true },
	'reset-after-body': { reset: true, places: true },
	'malformed-json': { status: 200, raw: '{"response":"success","order_id":', places: true },
	'200-no-order-id': { status: 200, places: true, body: { response: 'success' } },
	'200-response-error': { status: 200, body: { response: 'error' } },
	// Redirects, by what each means for a POST. The Location is the sandbox's own
	// /__sandbox/redirected, or the `location` given to setFault (another listener, to prove
	// that nothing follows it).
	'303-after-order': { status: 303, places: true, redirect: true },
	'302-after-order': { status: 302, places: true, redirect: true },
	301: { status: 301, redirect: true },
	302: { status: 302, redirect: true },
	303: { status: 303, redirect: true },
	307: { status: 307, redirect: true },
	308: { status: 308, redirect: true },
};

// What GET /api/v2/order/list answers a good key: its shape is not documented
// (../shared/api/CONTRACT.md), so the sandbox answers each plausible one on demand.
// `list` is an account that already has one order from before, then the orders sold here.
const EARLIER_ORDER = {
	order_id: 'sub_1qzearlierorder0000000000',
	subscription_id: 'sub_1QzEarlierOrder0000000000',
	quantity: 1,
	product_type: 'x1',
	created_at: '2026-01-01T00:00:00.000Z',
};
const LIST_SHAPES = {
	object: (orders) => ({ response: 'success', orders }),
	list: (orders) => [EARLIER_ORDER, ...orders],
	empty: () => [],
};

const PRODUCT_TYPES = new Set(['captcha', 'x1', 'level3', 'isp', 'datacenter']);

function randomId() {
	const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	let id = '';
	for (let i = 0; i < 24; i++) id += chars[Math.floor(Math.random() * chars.length)];
	return `sub_${id}`;
}

// The documented Create Order validation, in the documented order of the messages.
function validateOrder(body) {
	if (
		body === null ||
		typeof body !== 'object' ||
		body.quantity === undefined ||
		!body.product_type
	) {
		return 'Missing required fields';
	}
	if (typeof body.product_type !== 'string' || !PRODUCT_TYPES.has(body.product_type)) {
		return 'Invalid product_type';
	}
	if (!Number.isInteger(body.quantity) || body.quantity <= 0)
		return 'Quantity must be greater than 0';
	if (
		body.customer !== undefined &&
		(typeof body.customer !== 'string' || !/^[a-z]{1,50}$/.test(body.customer))
	) {
		return 'Customer ID must contain only lowercase letters (a-z)';
	}
	return null;
}

/**
 * Starts the sandbox on 127.0.0.1.
 * @param {{ port?: number, keys?: typeof KEYS, listShape?: 'object' | 'list' | 'empty' }} [options]
 */
async function startSandbox(options = {}) {
	const keys = { ...KEYS, ...(options.keys || {}) };
	const state = {
		requests: [],
		orders: [],
		faults: [],
		orderRequests: 0,
		listFault: null,
		listShape: options.listShape || 'object',
	};
	if (!LIST_SHAPES[state.listShape]) throw new Error(`Unknown list shape "${state.listShape}"`);
	const hanging = new Set();

	function takeFault() {
		state.orderRequests++;
		const rule = state.faults.find((f) => state.orderRequests >= f.fromRequest && f.remaining > 0);
		if (!rule) return null;
		rule.remaining--;
		return answerOf(rule.fault, rule.location);
	}

	function answerOf(name, location = `http://127.0.0.1:${port}/__sandbox/redirected`) {
		const fault = FAULTS[name];
		if (!fault.redirect) return fault;
		return { ...fault, headers: { location }, body: { redirect: location } };
	}

	function sell(order) {
		const subscriptionId = randomId();
		const sale = {
			order_id: subscriptionId.toLowerCase(),
			subscription_id: subscriptionId,
			quantity: order.quantity,
			product_type: order.product_type,
			...(order.customer !== undefined ? { customer: order.customer } : {}),
			created_at: new Date().toISOString(),
		};
		state.orders.push(sale);
		return sale;
	}

	async function control(req, res, path) {
		if (req.method === 'GET' && path === '/__sandbox/requests')
			return send(res, 200, state.requests);
		if (req.method === 'GET' && path === '/__sandbox/orders') return send(res, 200, state.orders);
		if (req.method === 'POST' && path === '/__sandbox/reset') {
			api.reset();
			return send(res, 200, { ok: true });
		}
		if (req.method === 'POST' && path === '/__sandbox/faults') {
			const body = (await readRequest(req)).json || {};
			api.setFault(body.fault, body);
			return send(res, 200, { ok: true });
		}
		// {"shape": "object" | "list" | "empty"} and/or {"fault": "<list fault>" | null}.
		if (req.method === 'POST' && path === '/__sandbox/list') {
			const body = (await readRequest(req)).json || {};
			try {
				if (body.shape !== undefined) api.setListShape(body.shape);
				if (body.fault !== undefined) api.setListFault(body.fault, body);
			} catch (error) {
				return send(res, 400, { error: error.message });
			}
			return send(res, 200, { shape: state.listShape, fault: state.listFault });
		}
		return send(res, 404, { error: 'not_found' });
	}

	const server = http.createServer(async (req, res) => {
		const path = (req.url || '/').split('?')[0];
		if (path.startsWith('/__sandbox/')) return control(req, res, path);

		const request = await readRequest(req);
		const { raw, json } = request;
		state.requests.push(recordOf(req, request));

		// A fault on the list answers every key alike, as a gateway or an outage would.
		if (req.method === 'GET' && path === '/api/v2/order/list' && state.listFault) {
			const fault = answerOf(state.listFault, state.listLocation);
			const body = fault.raw !== undefined ? fault.raw : fault.body;
			return send(res, fault.status, body, fault.type, fault.headers);
		}
		const auth = req.headers.authorization || '';
		const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
		if (key !== keys.full && key !== keys.noOrder)
			return send(res, 401, { error: 'invalid_api_key' });
		if (key !== keys.full) return send(res, 403, { error: 'insufficient_permissions' });

		if (req.method === 'GET' && path === '/api/v2/order/list') {
			return send(res, 200, LIST_SHAPES[state.listShape](state.orders));
		}
		if (req.method !== 'POST' || path !== '/api/v2/order/newscale') {
			return send(res, 404, { error: 'not_found' });
		}

		const fault = takeFault();
		if (fault && !fault.places) {
			const body = fault.raw !== undefined ? fault.raw : fault.body;
			return send(res, fault.status, body, fault.type, fault.headers);
		}
		if (json === undefined && raw) return send(res, 400, { response: 'Missing required fields' });
		const problem = validateOrder(json);
		if (problem) return send(res, 400, { response: problem });
		const sale = sell(json);

		if (fault && fault.hang) {
			hanging.add(res);
			return undefined;
		}
		if (fault && fault.reset) return req.socket.destroy();
		if (fault) {
			const body = fault.raw !== undefined ? fault.raw : fault.body;
			return send(res, fault.status, body, undefined, fault.headers);
		}
		return send(res, 200, {
			response: 'success',
			order_id: sale.order_id,
			subscription_id: sale.subscription_id,
		});
	});
	server.keepAliveTimeout = 5000;

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', resolve);
	});
	const { port } = server.address();

	const api = {
		url: `http://127.0.0.1:${port}`,
		port,
		keys,
		/** Every request to the API paths, in arrival order. */
		get requests() {
			return state.requests;
		},
		/** Only the Create Order requests. */
		get orderRequests() {
			return state.requests.filter((r) => r.path === '/api/v2/order/newscale');
		},
		/** Every order the sandbox sold (including those whose answer a fault lost). */
		get orders() {
			return state.orders;
		},
		/**
		 * Answers the `nth` Create Order request from now (1-based) and the `times - 1`
		 * after it with `fault`. `setFault(null)` clears all faults.
		 */
		setFault(fault, { nth = 1, times = 1, location } = {}) {
			if (fault === null || fault === undefined) {
				state.faults = [];
				return;
			}
			if (!FAULTS[fault]) throw new Error(`Unknown sandbox fault "${fault}"`);
			state.faults.push({
				fault: String(fault),
				fromRequest: state.orderRequests + nth,
				remaining: times,
				location,
			});
		},
		/**
		 * Answers every GET /api/v2/order/list (the credential test) with `fault` until reset,
		 * whatever the key; `null` clears it. A redirect points to `location` if given.
		 */
		setListFault(fault, { location } = {}) {
			if (fault === null) {
				state.listFault = null;
				return;
			}
			if (!FAULTS[fault] || FAULTS[fault].places || FAULTS[fault].hang)
				throw new Error(`Not a list fault: "${fault}"`);
			state.listFault = String(fault);
			state.listLocation = location;
		},
		/**
		 * What GET /api/v2/order/list answers a good key until reset: `object`
		 * ({"response": "success", "orders": [...]}, the default), `list` ([order, ...]) or
		 * `empty` ([], a new account).
		 */
		setListShape(shape) {
			if (!LIST_SHAPES[shape]) throw new Error(`Unknown list shape "${shape}"`);
			state.listShape = shape;
		},
		reset() {
			state.listFault = null;
			state.listShape = options.listShape || 'object';
			state.requests.length = 0;
			state.orders.length = 0;
			state.faults = [];
			state.orderRequests = 0;
			for (const res of hanging) res.destroy();
			hanging.clear();
		},
		async close() {
			for (const res of hanging) res.destroy();
			hanging.clear();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
	return api;
}

module.exports = {
	startSandbox,
	KEYS,
	FAULTS,
	LIST_SHAPES: Object.keys(LIST_SHAPES),
	PRODUCT_TYPES: [...PRODUCT_TYPES],
};
