'use strict';
// What the sandbox knows of the StatProxies API (../shared/api/CONTRACT.md): the documented
// Create Order rules, how order ids look, and the plausible shapes of the undocumented list.

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

module.exports = { LIST_SHAPES, PRODUCT_TYPES, randomId, validateOrder };
