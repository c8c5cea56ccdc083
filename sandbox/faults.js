'use strict';
// What the sandbox can be told to answer instead of a success, for the order and the exchange
// endpoints alike.

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

/**
 * How a fault answers an order or an exchange: `before` a refusal that happens instead of the
 * request (true when it answered), `after` a fault that sold (or exchanged) and then loses or
 * replaces the answer: it hangs, resets the connection, or answers its status.
 */
function faultAnswers({ send, hanging }) {
	const body = (fault) => (fault.raw !== undefined ? fault.raw : fault.body);
	return {
		before(res, fault) {
			if (!fault || fault.places) return false;
			send(res, fault.status, body(fault), fault.type, fault.headers);
			return true;
		},
		after(req, res, fault) {
			if (!fault) return false;
			if (fault.hang) hanging.add(res);
			else if (fault.reset) req.socket.destroy();
			else send(res, fault.status, body(fault), undefined, fault.headers);
			return true;
		},
	};
}

module.exports = { FAULTS, faultAnswers };
