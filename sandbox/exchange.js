'use strict';
// The sandbox's Exchange Proxies endpoint (POST /api/v2/order/exchange/{order_id}), as
// StatProxies documents it: success replaces every IP of an order; what it answers for a
// disabled feature or an unknown order is not documented, so the sandbox answers plausible
// shapes (an `error`, a `response`), and the faults of the order endpoint apply here too.

const PATH = /^\/api\/v2\/order\/exchange\/([^/]*)$/;

/** Answers the exchange endpoint's refusals that are not faults. */
const REFUSALS = {
	// The proxy_exchange feature is off for the organization.
	'feature-disabled': {
		status: 403,
		body: {
			error: 'feature_not_enabled',
			response: 'Proxy exchange is not enabled for this organization',
		},
	},
	'unknown-order': { status: 404, body: { error: 'order_not_found' } },
	'400-response': { status: 400, body: { response: 'Invalid order ID' } },
};

/**
 * @param {object} sandbox state shared with the order endpoint: `orders` (sold), and here
 *   `exchanges` (done), `exchangeRequests` (count), `exchangeFaults`, `exchangeFeature`.
 */
function exchangeEndpoint(state, { faultOf, answers, send }) {
	function takeFault() {
		state.exchangeRequests++;
		const rule = state.exchangeFaults.find(
			(f) => state.exchangeRequests >= f.fromRequest && f.remaining > 0,
		);
		if (!rule) return null;
		rule.remaining--;
		return REFUSALS[rule.fault] ?? faultOf(rule.fault, rule.location);
	}

	return {
		matches: (method, path) => method === 'POST' && PATH.test(path),
		handle(req, res, path) {
			const orderId = decodeURIComponent(PATH.exec(path)[1]);
			const fault = takeFault();
			if (answers.before(res, fault)) return undefined;
			if (!state.exchangeFeature) return send(res, 403, REFUSALS['feature-disabled'].body);
			const order = state.orders.find((sold) => sold.order_id === orderId);
			if (!order) return send(res, 404, REFUSALS['unknown-order'].body);
			const details = {
				order_id: order.order_id,
				previous_count: order.quantity,
				new_count: state.partialExchange ? Math.max(0, order.quantity - 1) : order.quantity,
				requested_count: order.quantity,
				overlapping_ips: state.overlappingIps ?? 0,
			};
			state.exchanges.push({ ...details, at: new Date().toISOString() });
			if (answers.after(req, res, fault)) return undefined;
			return send(res, 200, {
				response: 'success',
				message: 'Proxies exchanged successfully',
				details,
			});
		},
	};
}

module.exports = { exchangeEndpoint, EXCHANGE_REFUSALS: REFUSALS };
