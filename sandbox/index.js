'use strict';
// A local stand-in for StatProxies (../shared/api/CONTRACT.md): the one sandbox that the jest
// tests, the end-to-end suite, the benchmarks and `npm start` all use. Plain JS on purpose:
// n8n's lint forbids node:http in .ts files, and this never ships in the package.
const http = require('node:http');
const { readRequest, recordOf, send } = require('../lab/http');
const { control } = require('./control');
const { exchangeEndpoint, EXCHANGE_REFUSALS } = require('./exchange');
const { FAULTS, faultAnswers } = require('./faults');
const { LIST_SHAPES, PRODUCT_TYPES, randomId, validateOrder } = require('./api');

const KEYS = {
	// A key with the `order` service: can list and buy.
	full: 'sk_test_sandbox_full_access',
	// A valid key whose services do not include `order`.
	noOrder: 'sk_test_sandbox_no_order_service',
};

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
		exchanges: [],
		exchangeFaults: [],
		exchangeRequests: 0,
		exchangeFeature: true,
		listFault: null,
		listShape: options.listShape || 'object',
	};
	if (!LIST_SHAPES[state.listShape]) throw new Error(`Unknown list shape "${state.listShape}"`);
	const hanging = new Set();
	const answers = faultAnswers({ send, hanging });
	const exchange = exchangeEndpoint(state, {
		faultOf: (name, at) => answerOf(name, at),
		answers,
		send,
	});

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

	const server = http.createServer(async (req, res) => {
		const path = (req.url || '/').split('?')[0];
		if (path.startsWith('/__sandbox/')) return control(req, res, path, state, api);

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
		if (exchange.matches(req.method, path)) return exchange.handle(req, res, path);
		if (req.method !== 'POST' || path !== '/api/v2/order/newscale') {
			return send(res, 404, { error: 'not_found' });
		}

		const fault = takeFault();
		if (answers.before(res, fault)) return undefined;
		if (json === undefined && raw) return send(res, 400, { response: 'Missing required fields' });
		const problem = validateOrder(json);
		if (problem) return send(res, 400, { response: problem });
		const sale = sell(json);
		if (answers.after(req, res, fault)) return undefined;
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
		 * Orders the account already has, bought before this sandbox started (an example's
		 * order ids, an exchange's target): sold with these ids, without a request. Returns them.
		 * @param {string[]} orderIds each "sub_" and lowercase letters and digits
		 */
		seedOrders(orderIds, { quantity = 10, product_type = 'captcha' } = {}) {
			if (!Array.isArray(orderIds) || !orderIds.every((id) => /^sub_[a-z0-9]+$/.test(id))) {
				throw new Error('seedOrders takes a list of order ids, each "sub_" and [a-z0-9]');
			}
			const seeded = orderIds
				.filter((id) => !state.orders.some((sold) => sold.order_id === id))
				.map((id) => ({
					order_id: id,
					subscription_id: id,
					quantity,
					product_type,
					created_at: new Date().toISOString(),
				}));
			state.orders.push(...seeded);
			return seeded;
		},
		/** Every exchange the sandbox made (including those whose answer a fault lost). */
		get exchanges() {
			return state.exchanges;
		},
		/** Only the Exchange Proxies requests. */
		get exchangeRequests() {
			return state.requests.filter((r) => r.path.startsWith('/api/v2/order/exchange/'));
		},
		/**
		 * Answers the `nth` exchange request from now and the `times - 1` after it with `fault`
		 * (a fault of the order endpoint, or feature-disabled, unknown-order, 400-response).
		 */
		setExchangeFault(fault, { nth = 1, times = 1, location } = {}) {
			if (!FAULTS[fault] && !EXCHANGE_REFUSALS[fault])
				throw new Error(`Unknown exchange fault "${fault}"`);
			state.exchangeFaults.push({
				fault: String(fault),
				fromRequest: state.exchangeRequests + nth,
				remaining: times,
				location,
			});
		},
		/** Whether the organization has the proxy_exchange feature (on by default). */
		setExchangeFeature(enabled) {
			state.exchangeFeature = Boolean(enabled);
		},
		/** The next exchanges give fewer IPs than requested, or keep some of the old ones. */
		setExchangeQuality({ partial = false, overlappingIps = 0 } = {}) {
			state.partialExchange = partial;
			state.overlappingIps = overlappingIps;
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
			state.exchanges.length = 0;
			state.exchangeFaults = [];
			state.exchangeRequests = 0;
			state.exchangeFeature = true;
			state.partialExchange = false;
			state.overlappingIps = 0;
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
